/* newsfuse: the source viewer of the story page.
 *
 * A citation [n] (or a mark of the claims × sources matrix) links to the source
 * page with the cited sentence marked, which works without script. With script,
 * the click opens the source beside the brief instead: the source's text is
 * fetched from the JSON API and the cited ranges are marked in it.
 *
 * Article text is untrusted: it is only ever put in the page as text nodes
 * (textContent, createTextNode), never as markup, and a link is made only of an
 * http(s) URL.
 */
(function () {
  "use strict";

  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function day(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    if (!m) return iso || "date unknown";
    return Number(m[3]) + " " + MONTHS[Number(m[2]) - 1] + " " + m[1];
  }

  function ranges(value) {
    var out = [];
    (value || "").split(/[\s,]+/).forEach(function (part) {
      var m = /^(\d+)-(\d+)$/.exec(part);
      if (m && Number(m[1]) < Number(m[2])) out.push([Number(m[1]), Number(m[2])]);
    });
    out.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    out.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  /* The text with the ranges marked: text nodes and <mark> elements only. */
  function markedText(box, text, marks) {
    box.textContent = "";
    var at = 0;
    var first = null;
    marks.forEach(function (r) {
      var start = Math.max(at, Math.min(r[0], text.length));
      var end = Math.min(r[1], text.length);
      if (end <= start) return;
      if (start > at) box.appendChild(document.createTextNode(text.slice(at, start)));
      var mark = el("mark", null, text.slice(start, end));
      if (!first) first = mark;
      box.appendChild(mark);
      at = end;
    });
    if (at < text.length) box.appendChild(document.createTextNode(text.slice(at)));
    return first;
  }

  function webUrl(url) {
    return typeof url === "string" && /^https?:\/\/[^\/\s]/i.test(url.trim()) ? url.trim() : null;
  }

  function init() {
    var viewer = document.getElementById("viewer");
    if (!viewer) return;
    var head = document.getElementById("viewer-head");
    var box = document.getElementById("viewer-text");
    var close = document.getElementById("viewer-close");
    var story = viewer.getAttribute("data-story");
    var root = viewer.getAttribute("data-root") || "";
    var cache = {};
    var active = null;
    var asked = 0;

    function source(n) {
      if (!cache[n]) {
        var url = root + "/api/stories/" + encodeURIComponent(story) + "/sources/" + encodeURIComponent(n);
        cache[n] = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) {
            if (!r.ok) throw new Error("HTTP " + r.status);
            return r.json();
          });
        cache[n].catch(function () { delete cache[n]; });
      }
      return cache[n];
    }

    function header(src) {
      head.querySelectorAll(":scope > p").forEach(function (p) { p.remove(); });
      var kicker = "Source " + src.id + (src.copy_of !== null && src.copy_of !== undefined ? " · copy of " + src.copy_of : "");
      var meta = el("p", "viewer-meta", day(src.published) + (src.language ? " · " + src.language : ""));
      var url = webUrl(src.url);
      if (url) {
        meta.appendChild(document.createTextNode(" · "));
        var a = el("a", "url", src.url);
        a.href = url;
        a.rel = "noopener noreferrer nofollow";
        a.target = "_blank";
        meta.appendChild(a);
      }
      var parts = [el("p", "viewer-kicker", kicker), el("p", "viewer-outlet", src.outlet || "Unknown outlet"),
                   el("p", "viewer-title", src.title || "(untitled)"), meta];
      parts.forEach(function (p) { head.insertBefore(p, close); });
    }

    function reveal(mark) {
      if (mark) {
        var top = mark.offsetTop - box.offsetTop - box.clientHeight / 3;
        box.scrollTop = Math.max(0, top);
      } else {
        box.scrollTop = 0;
      }
    }

    function show(link) {
      var n = link.getAttribute("data-n");
      var marks = ranges(link.getAttribute("data-spans"));
      var ticket = ++asked;
      if (active) active.classList.remove("active");
      active = link;
      link.classList.add("active");
      viewer.classList.add("open", "loading");
      source(n).then(function (src) {
        if (ticket !== asked) return;  // another citation was clicked meanwhile
        header(src);
        var first = markedText(box, src.text || "", marks);
        viewer.classList.remove("loading");
        viewer.setAttribute("data-source", String(n));
        reveal(first);
      }).catch(function (err) {
        if (ticket !== asked) return;
        viewer.classList.remove("loading");
        box.textContent = "The source could not be loaded (" + err.message + ").";
      });
    }

    document.addEventListener("click", function (ev) {
      if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
      var link = ev.target.closest ? ev.target.closest("a[data-n]") : null;
      if (!link || !viewer.parentNode.contains(link)) return;
      ev.preventDefault();
      show(link);
    });

    close.addEventListener("click", function () {
      viewer.classList.remove("open");
      if (active) active.classList.remove("active");
      active = null;
    });

    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && viewer.classList.contains("open")) close.click();
    });

    reveal(document.getElementById("hl"));  // a viewer opened by the server (?source=n&hl=...)
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
