"""The request body size limit, for declared and for streamed (chunked) bodies."""
from __future__ import annotations

from fastapi import HTTPException
from fastapi.responses import JSONResponse


class BodyLimit:
    def __init__(self, app, max_body: int):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.max_body:
            return await JSONResponse({"detail": self.message()}, status_code=413)(scope, receive, send)
        received = 0

        async def counted():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body:  # raised where the route reads the body, answered as a 413
                raise HTTPException(413, self.message())
            return message

        await self.app(scope, counted, send)

    def message(self) -> str:
        return f"the request body is larger than {self.max_body} bytes (KG_MAX_BODY)"
