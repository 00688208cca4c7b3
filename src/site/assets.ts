// The site's two static files: site.css (responsive, readable on a phone, no web fonts) and site.js
// (the index filters and search; no network, no eval, no inline script). Written next to the pages.

export const SITE_CSS = `:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#57606a;--line:#d0d7de;--accent:#0b5cad;--bar:#3b78c3;--warn:#fff4ce}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9aa4af;--line:#30363d;--accent:#6cb6ff;--bar:#4f8fd6;--warn:#3b2e05}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--accent)}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:var(--bg);padding:4px 8px;z-index:1}
header.site{border-bottom:1px solid var(--line);padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center}
header.site .brand{font-weight:600;color:var(--fg);text-decoration:none}
nav ul{list-style:none;margin:0;padding:0;display:flex;gap:1rem}
nav a[aria-current="page"]{font-weight:600;text-decoration:none}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;line-height:1.25;overflow-wrap:anywhere}
h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid var(--line);padding-bottom:.25rem}
p,li,td,th,dd{overflow-wrap:break-word}
td:first-child,th,time{white-space:nowrap}
.draft{background:var(--warn);border:1px solid var(--line);padding:.5rem .75rem;border-radius:4px}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
thead th{position:sticky;top:0;background:var(--bg)}
tr[hidden]{display:none}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
form.filters{display:grid;grid-template-columns:repeat(auto-fill,minmax(10rem,1fr));gap:.5rem 1rem;margin-bottom:1rem}
form.filters[hidden]{display:none}
form.filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
form.filters input,form.filters select,form.filters button{font:inherit;padding:.3rem;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:4px}
form.filters .search{grid-column:1/-1}
.count{color:var(--muted)}
.unlinked{font-family:ui-monospace,monospace;font-size:.9em}
code,pre{font-family:ui-monospace,monospace;font-size:.9em}
pre{overflow-x:auto;padding:.5rem .75rem;border:1px solid var(--line);border-radius:4px}
svg.chart{width:100%;max-width:40rem;height:auto;display:block}
svg.chart rect{fill:var(--bar)}svg.chart text{fill:var(--fg);font-size:13px}
figure{margin:1rem 0 2rem}
footer{color:var(--muted);font-size:.85rem;padding:1rem;border-top:1px solid var(--line);margin-top:2rem}
@media (max-width:40rem){
  main{padding:.5rem}
  dl.facts{grid-template-columns:1fr}dl.facts dt{margin-top:.5rem}
  table.responsive thead{position:absolute;left:-9999px}
  table.responsive tr{display:block;border-bottom:1px solid var(--line);padding:.25rem 0}
  table.responsive tr[hidden]{display:none}
  table.responsive td{display:flex;gap:.5rem;border:0;padding:.1rem 0}
  table.responsive td::before{content:attr(data-label);font-weight:600;min-width:6.5rem;color:var(--muted)}
}
`;

export const SITE_JS = `"use strict";
// Filters and search for the incident index. Reads data-* attributes of the table rows; no network.
(function () {
  var form = document.getElementById("filters");
  var table = document.getElementById("incidents");
  if (!form || !table) return;
  var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
  var count = document.getElementById("count");
  function field(name) {
    var el = form.elements.namedItem(name);
    return el && typeof el.value === "string" ? el.value : "";
  }
  function has(list, value) {
    return (" " + (list || "") + " ").indexOf(" " + value + " ") >= 0;
  }
  function apply() {
    var severity = field("severity");
    var status = field("status");
    var category = field("category");
    var service = field("service");
    var year = field("year");
    var words = field("q").toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var d = row.dataset;
      var text = d.text || "";
      var ok =
        (!severity || d.severity === severity) &&
        (!status || d.status === status) &&
        (!category || has(d.categories, category)) &&
        (!service || has(d.services, service)) &&
        (!year || d.year === year) &&
        words.every(function (w) { return text.indexOf(w) >= 0; });
      row.hidden = !ok;
      if (ok) shown++;
    });
    if (count) count.textContent = "Showing " + shown + " of " + rows.length + " incidents";
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  form.hidden = false;
  apply();
})();
`;
