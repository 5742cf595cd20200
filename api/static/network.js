// The actor network page: Cytoscape.js over GET /network, details from GET /actors and /articles.
// Routes live in the URL hash: #actor=ID, #article=ID&hl=START-END,...&actor=ID.
"use strict";

const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                 "#9c755f", "#bab0ac"];
const TYPE_COLOURS = {Person: "#4e79a7", Organization: "#f28e2b", Place: "#59a14f", Agent: "#9c9c9c"};
const FORCE_LAYOUT_MAX = 250;  // Cytoscape's force layout takes seconds at 300 actors, minutes at 1000
const CENTRAL = 20;  // the actors of highest PageRank keep a readable label at every zoom
const LABEL_PX = 13;  // their labels' size on screen
const form = document.getElementById("filters");
const panel = document.getElementById("panel");
const statusLine = document.getElementById("status");
const legend = document.getElementById("legend");
const search = document.getElementById("search");

const cy = cytoscape({
  container: document.getElementById("cy"),
  minZoom: 0.03,
  maxZoom: 5,
  textureOnViewport: true,
  style: [
    {selector: "node", style: {
      "width": "data(size)", "height": "data(size)", "background-color": "data(colour)",
      "label": "data(name)", "font-size": "mapData(size, 12, 60, 7, 15)", "min-zoomed-font-size": 8,
      "text-valign": "bottom", "text-margin-y": 2, "text-outline-color": "#fff", "text-outline-width": 1.5,
      "border-width": 1, "border-color": "#fff"}},
    {selector: "edge", style: {
      "width": "mapData(weight, 1, 10, 1, 6)", "line-color": "#bbb", "target-arrow-color": "#999",
      "curve-style": "bezier", "opacity": 0.75}},
    {selector: "edge.directed", style: {"target-arrow-shape": "triangle", "arrow-scale": 0.8}},
    {selector: "node.central", style: {
      "min-zoomed-font-size": 0, "font-weight": "bold", "z-index": 10, "text-outline-width": 0,
      "text-background-color": "#fff", "text-background-opacity": 0.85, "text-background-padding": 2,
      "text-background-shape": "roundrectangle"}},
    {selector: "node:selected", style: {"border-width": 4, "border-color": "#d62728"}},
    {selector: ".faded", style: {"opacity": 0.12}},
  ],
});
window.cy = cy;  // for the console and the browser tests

// --- small DOM helpers ---------------------------------------------------------------------
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value; else node.setAttribute(key, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function show(...children) {
  panel.replaceChildren(...children.filter(c => c !== null && c !== undefined));
}

function actorPath(id) {
  return id.split("/").map(encodeURIComponent).join("/");
}

async function getJSON(url) {
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail || response.statusText);
  return body;
}

// --- the network ---------------------------------------------------------------------------
async function load() {
  const params = new URLSearchParams();
  const values = new FormData(form);
  for (const key of ["kind", "from", "to", "min_weight"]) {
    const value = values.get(key);
    if (value && value !== "0") params.set(key, value);
  }
  statusLine.textContent = "loading…";
  document.body.dataset.ready = "false";
  let data;
  try {
    data = await getJSON("/network?" + params);
  } catch (error) {
    statusLine.textContent = "error: " + error.message;
    return;
  }
  const {nodes, edges} = data.elements;
  const highest = nodes.reduce((max, n) => Math.max(max, n.data.pagerank), 1e-12);
  for (const node of nodes) node.data.size = 12 + 48 * Math.sqrt(node.data.pagerank / highest);
  if (data.directed) for (const edge of edges) edge.classes = "directed";
  cy.batch(() => {
    cy.elements().remove();
    cy.add(nodes);
    cy.add(edges);
    cy.style().selector("edge").style("curve-style", edges.length > 3000 ? "straight" : "bezier").update();
  });
  colour();
  arrange(nodes.length);
  ranked = labelCandidates();
  spreadCentral();
  spreadCentral();  // again at the zoom the first fit settled on
  labelCentral();
  document.getElementById("names").replaceChildren(
    ...nodes.map(n => n.data.name).sort().map(name => el("option", {value: name})));
  statusLine.textContent = `${nodes.length} actors, ${edges.length} links`;
  document.body.dataset.ready = "true";
  route();
}

function arrange(count) {
  if (count <= FORCE_LAYOUT_MAX) {
    cy.layout({name: "cose", animate: false, randomize: true, nodeRepulsion: () => 80000,
               idealEdgeLength: () => 90, numIter: 1000, padding: 30}).run();
  } else {
    const positions = communityMap();
    cy.layout({name: "preset", positions: n => positions[n.id()], padding: 30}).run();
  }
}

// --- labels that tell the story at every zoom ---------------------------------------------------
let ranked = [];  // the candidates for a fixed-size label, highest PageRank first

// The 10 actors of highest PageRank, then each coloured community's leader (the legend names
// them), then the rest by PageRank.
function labelCandidates() {
  const byRank = cy.nodes().sort((a, b) => b.data("pagerank") - a.data("pagerank")).toArray();
  const leaders = communityLeaders();
  return [...new Set([...byRank.slice(0, 10), ...leaders, ...byRank])].slice(0, 3 * CENTRAL);
}

function overlap(a, b) {
  return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

function labelBox(node) {
  return node.renderedBoundingBox({includeNodes: false, includeEdges: false, includeOverlays: false});
}

// The central actors' labels at LABEL_PX on screen, highest PageRank first, each only where it
// does not cover one already shown; the others keep Cytoscape's own label, shown when zoomed in.
function labelCentral() {
  const size = LABEL_PX / cy.zoom();
  cy.batch(() => ranked.forEach(n => n.addClass("central").style("font-size", size)));
  const shown = [];
  const hidden = ranked.filter(n => {
    const box = labelBox(n);
    if (shown.length >= CENTRAL || shown.some(other => overlap(box, other))) return true;
    shown.push(box);
    return false;
  });
  cy.batch(() => hidden.forEach(n => n.removeClass("central").removeStyle("font-size")));
}

// Moves the CENTRAL first actors apart until their labels, at the fitted zoom, do not overlap (two
// leaders of one community are often drawn side by side); the least central of a pair moves.
function spreadCentral() {
  const top = ranked.slice(0, CENTRAL), size = LABEL_PX / cy.zoom();
  cy.batch(() => top.forEach(n => n.style("font-size", size)));
  for (let pass = 0; pass < 40; pass++) {
    const boxes = top.map(n => n.boundingBox({includeEdges: false, includeOverlays: false}));
    let moved = false;
    for (let j = 1; j < top.length; j++) {
      for (let i = 0; i < j; i++) {
        const a = boxes[i], b = boxes[j];
        if (!overlap(a, b)) continue;
        const down = (b.y1 + b.y2) >= (a.y1 + a.y2), dy = down ? a.y2 - b.y1 : b.y2 - a.y1;
        const shift = {x: 0, y: (down ? 1 : -1) * (dy + 2 / cy.zoom())};
        top[j].shift(shift);
        boxes[j] = {x1: b.x1, x2: b.x2, y1: b.y1 + shift.y, y2: b.y2 + shift.y};
        moved = true;
      }
    }
    if (!moved) break;
  }
  cy.batch(() => top.forEach(n => n.removeStyle("font-size")));
  cy.fit(undefined, 30);
}

let relabel = null;
cy.on("zoom", () => {
  if (relabel === null) relabel = requestAnimationFrame(() => { relabel = null; labelCentral(); });
});

// Large networks: each community a disc, the discs on a spiral, largest first; inside a disc the
// actors on a sunflower spiral, highest PageRank at the centre. Linear time, and it shows the
// communities and who is central in each.
function communityMap() {
  const GOLDEN = Math.PI * (3 - Math.sqrt(5)), SPACING = 28;
  const groups = new Map();
  cy.nodes().forEach(n => {
    const c = n.data("community");
    if (!groups.has(c)) groups.set(c, []);
    groups.get(c).push(n);
  });
  const positions = {};
  let area = 0;
  [...groups.values()].sort((a, b) => b.length - a.length).forEach((members, k) => {
    const radius = SPACING * Math.sqrt(members.length);
    const distance = k === 0 ? 0 : 2.2 * SPACING * Math.sqrt(area + members.length / 2);
    const cx = distance * Math.cos(k * GOLDEN * 2), cy0 = distance * Math.sin(k * GOLDEN * 2);
    area += members.length;
    members.sort((a, b) => b.data("pagerank") - a.data("pagerank")).forEach((n, i) => {
      const r = radius * Math.sqrt(i / members.length);
      positions[n.id()] = {x: cx + r * Math.cos(i * GOLDEN), y: cy0 + r * Math.sin(i * GOLDEN)};
    });
  });
  return positions;
}

function colour() {
  const byType = form.elements.colour.value === "type";
  cy.batch(() => cy.nodes().forEach(n => n.data("colour",
    byType ? TYPE_COLOURS[n.data("type")] : PALETTE[n.data("community") % PALETTE.length])));
  const entries = byType
    ? Object.entries(TYPE_COLOURS)
    : communityNames().map((name, i) => [name, PALETTE[i % PALETTE.length]]);
  legend.replaceChildren(...entries.map(([name, c]) => el("span", {}, el("i", {style: `background:${c}`}), name)));
}

function communityLeaders() {
  const leaders = [];  // the actor of highest PageRank in each of the first communities
  cy.nodes().forEach(n => {
    const c = n.data("community");
    if (c < PALETTE.length && (!leaders[c] || leaders[c].data("pagerank") < n.data("pagerank"))) leaders[c] = n;
  });
  return leaders.filter(Boolean);
}

function communityNames() {
  return communityLeaders().map(n => `${n.data("name")}'s community`);
}

function focus(id) {
  const node = cy.getElementById(id);
  if (node.empty()) return;
  cy.batch(() => {
    cy.elements().addClass("faded").unselect();
    node.closedNeighborhood().removeClass("faded");
    node.select();
  });
}

function go(hash) {
  if (location.hash.slice(1) === hash) route(); else location.hash = hash;
}

cy.on("tap", "node", event => go("actor=" + event.target.id()));
cy.on("tap", event => {
  if (event.target === cy) cy.elements().removeClass("faded").unselect();
});

// --- the side panel: an actor, or an article with the quote highlighted ----------------------
async function showActor(id) {
  focus(id);
  let actor;
  try {
    actor = await getJSON("/network/actors/" + actorPath(id));
  } catch (error) {
    show(el("h2", {}, cy.getElementById(id).data("name") || id), el("p", {class: "hint"}, error.message));
    return;
  }
  const node = cy.getElementById(id);
  show(
    el("h2", {}, actor.name),
    el("p", {class: "meta"}, `${actor.type} · ${actor.statements} statements · ${id}`),
    node.nonempty() ? metricsTable(node.data()) : null,
    section("Roles", actor.roles, role => [
      role.role, role.other ? [" at ", actorLink(role.other)] : "",
      role.time !== "current" ? ` (${role.time})` : "", " ", stated(role, id)]),
    section("Members", actor.members, role => [actorLink(role.other), `, ${role.role}`, " ", stated(role, id)]),
    section("Quotes", actor.said, st => quote(st, id, false), "quotes", actor.statements),
    section("Said about them", actor.said_about, st => quote(st, id, true), "said-about"),
  );
}

function metricsTable(data) {
  const rows = [["talked about (in)", data.in_degree], ["talks about (out)", data.out_degree],
                ["PageRank", data.pagerank.toFixed(4)], ["betweenness", data.betweenness.toFixed(4)],
                ["community", data.community], ["core", data.core]];
  return el("table", {}, rows.map(([k, v]) => el("tr", {}, el("td", {}, k), el("td", {}, String(v)))));
}

function section(title, items, render, id, total = items.length) {
  if (!items.length) return null;
  const count = total > items.length ? `${total}, the latest ${items.length}` : total;
  return el("div", {id: id || title.toLowerCase()}, el("h3", {}, `${title} (${count})`),
            el("ul", {}, items.map(item => el("li", {}, render(item)))));
}

function quote(st, actorId, showSpeaker) {
  return [
    showSpeaker && st.speaker ? [actorLink(st.speaker), " "] : null,
    el("span", {class: "cue"}, st.cue), " ",
    el("span", {class: "text"}, st.text), " ",
    articleLink(st.article, st.content_spans, actorId, st.date),
  ];
}

// Where a role is stated: "34 articles, 2016-01-05 to 2016-11-07", linked to the latest's evidence.
function stated(role, actorId) {
  const dates = role.first && role.first !== role.last ? `${role.first} to ${role.last}` : role.first;
  const count = role.articles > 1 ? `${role.articles} articles` : null;
  const meta = [count, dates].filter(Boolean).join(", ");
  return [meta ? el("span", {class: "meta"}, meta + " ") : null,
          articleLink(role.article, [role.evidence], actorId, role.articles > 1 ? "latest" : role.date)];
}

function actorLink(ref) {
  return el("a", {href: "#actor=" + ref.id}, ref.name);
}

function articleLink(article, spans, actorId, date) {
  const hl = (spans || []).map(s => `${s.start}-${s.end}`).join(",");
  const hash = new URLSearchParams({article, hl, actor: actorId});
  return el("a", {href: "#" + hash, class: "meta article-link"}, `[${date || article}]`);
}

async function showArticle(id, hl, actorId) {
  let article;
  try {
    article = await getJSON("/network/articles/" + encodeURIComponent(id));
  } catch (error) {
    show(el("p", {class: "hint"}, error.message));
    return;
  }
  const spans = hl.split(",").filter(Boolean).map(s => s.split("-").map(Number)).sort((a, b) => a[0] - b[0]);
  const parts = [];
  let at = 0;
  for (const [start, end] of spans) {
    if (start < at || end > article.text.length) continue;
    parts.push(article.text.slice(at, start), el("mark", {}, article.text.slice(start, end)));
    at = end;
  }
  parts.push(article.text.slice(at));
  show(
    el("div", {class: "article-head"},  // stays in view while the text scrolls
       actorId ? el("a", {href: "#actor=" + actorId, class: "back"}, "← back") : null,
       el("h2", {}, article.headline || id),
       el("p", {class: "meta"}, [article.date, article.url].filter(Boolean).join(" · "))),
    el("div", {class: "article-text"}, parts));
  const mark = panel.querySelector("mark");
  if (mark) mark.scrollIntoView({block: "center"});
}

function route() {
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.has("article")) showArticle(hash.get("article"), hash.get("hl") || "", hash.get("actor"));
  else if (hash.has("actor")) showActor(hash.get("actor"));
}

// --- search --------------------------------------------------------------------------------
// An actor drawn under exactly that name; else the best match of the search index (GET /actors?name=:
// the beginnings of a name's words, accents and case aside, and near spellings) that is drawn; else a
// drawn name that contains the text.
async function find(text) {
  const wanted = text.trim().toLowerCase();
  if (!wanted) return null;
  const nodes = cy.nodes();
  const exact = nodes.filter(n => n.data("name").toLowerCase() === wanted)[0];
  if (exact) return exact;
  try {
    const found = await getJSON("/actors?" + new URLSearchParams({name: text.trim(), limit: 100}));
    const drawn = found.map(actor => cy.getElementById(actor.id)).find(node => node.nonempty());
    if (drawn) return drawn;
  } catch (error) { /* the names drawn still serve */ }
  return nodes.filter(n => n.data("name").toLowerCase().includes(wanted))
      .sort((a, b) => b.data("pagerank") - a.data("pagerank"))[0] || null;
}

search.addEventListener("keydown", async event => {
  if (event.key !== "Enter") return;
  const node = await find(search.value);
  if (!node) {
    statusLine.textContent = `no actor named “${search.value}” in this network`;
    return;
  }
  cy.animate({center: {eles: node}, zoom: Math.max(cy.zoom(), 1.2)}, {duration: 300});
  go("actor=" + node.id());
});

form.addEventListener("submit", event => { event.preventDefault(); load(); });
form.elements.colour.addEventListener("change", colour);
window.addEventListener("hashchange", route);
load();
