"""A throwaway Virtuoso (Debian's virtuoso-opensource) for the store tests and the benchmark:
its own config and database in a temporary folder, free ports on 127.0.0.1, SPARQL_UPDATE
granted to the endpoint's anonymous user, stopped (and killed if need be) on exit."""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx

CONFIG = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 8
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 300
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Virtuoso:
    def __init__(self, folder: Path, buffers: int = 20000):
        missing = [tool for tool in ("virtuoso-t", "isql-vt") if shutil.which(tool) is None]
        if missing:
            raise RuntimeError(f"{' and '.join(missing)} not found: install Debian's package virtuoso-opensource "
                               "(apt-get install -y virtuoso-opensource; .ci/run does)")
        self.folder = folder
        self.buffers = buffers
        self.sql_port, self.http_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.http_port}/sparql"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Virtuoso":
        self.folder.mkdir(parents=True, exist_ok=True)
        ini = self.folder / "virtuoso.ini"
        ini.write_text(CONFIG.format(dir=self.folder, sql_port=self.sql_port, http_port=self.http_port,
                                     buffers=self.buffers, dirty=self.buffers * 3 // 4))
        with open(self.folder / "stdout.log", "w") as log:
            self.process = subprocess.Popen(["virtuoso-t", "-f", "-c", str(ini)], cwd=self.folder,
                                            stdout=log, stderr=subprocess.STDOUT)
        try:
            self.wait_until_up(timeout=90)
            self.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
        except BaseException:
            self.__exit__()
            raise
        return self

    def wait_until_up(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                if httpx.get(self.url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"virtuoso-t did not answer on {self.url} within {timeout:.0f} s:\n{self.log_tail()}")

    def isql(self, sql: str) -> str:
        result = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={sql}"],
                                capture_output=True, text=True, timeout=60)
        if result.returncode != 0 or "*** Error" in result.stdout + result.stderr:
            raise RuntimeError(f"isql-vt {sql!r} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def log_tail(self) -> str:
        log = self.folder / "virtuoso.log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-15:]) if log.exists() else ""

    def __exit__(self, *exc) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
