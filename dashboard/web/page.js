/* The published page: date control, URL state, details, text version and the page's API.
 * The map itself is kbmap.js (shared with the explorer). Data text reaches the page only
 * through textContent, attributes set one by one, or KBMap.esc: never as markup.
 */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var DAY = 86400000;
  var params = new URLSearchParams(location.search);
  var notices = [];

  function getJSON(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) { throw new Error(url + ": HTTP " + r.status); }
      return r.json();
    });
  }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }
  function link(url, text) {  // only http(s) links become links
    if (/^https?:\/\//i.test(url)) {
      var a = el("a", text);
      a.setAttribute("href", url);
      a.setAttribute("rel", "noopener noreferrer");
      a.setAttribute("target", "_blank");
      return a;
    }
    return el("span", text);
  }
  function shown(value) { value = String(value); return value.length > 40 ? value.slice(0, 37) + "…" : value; }

  Promise.all([getJSON("data/timeline.json"), getJSON("data/geometry.json"),
               getJSON("data/states.json")]).then(start).catch(function (err) {
    $("kb-notices").textContent = "The map's data could not be loaded (" + err.message + ").";
  });

  function start(args) {
    var T = args[0], geometry = args[1], states = args[2];
    var start0 = Date.parse(T.start + "T00:00:00Z"), days = Math.round((Date.parse(T.end + "T00:00:00Z") - start0) / DAY);
    var iso = function (i) { return new Date(start0 + i * DAY).toISOString().slice(0, 10); };
    var index = function (d) { return Math.round((Date.parse(d + "T00:00:00Z") - start0) / DAY); };
    var uids = {}, names = {};
    geometry.features.forEach(function (f) { uids[f.properties.uid] = f.properties; });
    var embed = params.get("embed") === "1";
    if (embed) { document.body.classList.add("kb-embed"); }

    // 1. The view a link asks for; every bad part falls back and says so.
    var view = {date: T.default_date, place: null, naming: "both", layers: T.default_layers.slice()};
    var d = params.get("date");
    if (d !== null) {
      if (/^\d{4}-\d\d-\d\d$/.test(d) && !isNaN(Date.parse(d + "T00:00:00Z")) &&
          iso(index(d)) === d && d >= T.start && d <= T.end) { view.date = d; }
      else { notices.push("The link's date " + shown(d) + " is not a day between " + T.start + " and " + T.end + "; showing " + view.date + "."); }
    }
    var n = params.get("names");
    if (n !== null) {
      if (Object.prototype.hasOwnProperty.call(T.namings, n)) { view.naming = n; }
      else { notices.push("Unknown naming " + shown(n) + "; showing both names."); }
    }
    var l = params.get("layers");
    if (l !== null) {
      var asked = l.split(",").filter(Boolean), known = asked.filter(function (x) { return Object.prototype.hasOwnProperty.call(T.layers, x); });
      if (known.length) { view.layers = known; }
      if (known.length !== asked.length) { notices.push("Unknown layer(s) " + shown(asked.filter(function (x) { return known.indexOf(x) < 0; }).join(", ")) + " left out."); }
    }
    var p = params.get("place");
    if (p !== null) {
      var uid = p.indexOf(":") >= 0 ? p : "place:" + p;
      if (uids[uid]) { view.place = uid; } else { notices.push("Unknown place " + shown(p) + "; nothing selected."); }
    }
    var v = params.get("v");
    if (v !== null && v !== T.version) {
      notices.push("This link was made for data version " + shown(v) + "; this is version " + T.version + ". Older versions stay under ../" + "<version>/ where they were published.");
    }
    $("kb-notices").textContent = notices.join(" ");

    // 2. The map.
    var map = L.map("map", {minZoom: 6, maxZoom: 13, zoomSnap: 0.25});
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution("Natural Earth · GeoNames (CC BY 4.0)");
    map.fitBounds(T.bounds);
    L.control.scale().addTo(map);
    var kb = new KBMap(map, {geometry: geometry, states: states, styles: T.styles,
      patterns: T.patterns, labelZoom: T.label_zoom, legend: T.legend, modelNote: T.model_note,
      legendClosed: window.innerWidth < 700 || embed,
      onClick: function (uid) { select(uid); }});

    // 3. Controls.
    var slider = $("kb-date");
    slider.max = String(days);
    slider.setAttribute("aria-label", "Date");
    var changeDates = T.entries.map(function (e) { return e.date; });
    T.moments.forEach(function (m) { var o = el("option", m[0]); o.value = m[1]; $("kb-moment").appendChild(o); });
    Object.keys(T.namings).forEach(function (k) { var o = el("option", T.namings[k]); o.value = k; $("kb-naming").appendChild(o); });
    Object.keys(T.layers).forEach(function (k) {
      var lab = el("label"), box = el("input");
      box.type = "checkbox"; box.value = k; box.checked = view.layers.indexOf(k) >= 0;
      box.addEventListener("change", function () {
        view.layers = Object.keys(T.layers).filter(function (x) { return $("kb-layers").querySelector('input[value="' + x + '"]').checked; });
        render();
      });
      lab.appendChild(box); lab.appendChild(document.createTextNode(" " + T.layers[k]));
      $("kb-layers").appendChild(lab);
    });
    var finder = {};
    Object.keys(uids).forEach(function (uid) {
      var props = uids[uid], label = props.label_both;
      if (!label || uid.indexOf("area:cell-") === 0) { return; }
      var text = label + (props.label_hy && props.label_az && label.indexOf(props.label_az) < 0 ? " (" + props.label_az + ")" : "");
      finder[text] = uid;
      var o = el("option"); o.value = text; $("kb-places").appendChild(o);
    });
    $("kb-find").addEventListener("change", function () {
      var uid = finder[this.value];
      if (!uid) {  // any usage, in any case
        var q = this.value.trim().toLowerCase();
        Object.keys(uids).some(function (u) {
          var pr = uids[u];
          if ([pr.label_both, pr.label_hy, pr.label_az].some(function (s) { return s && s.toLowerCase() === q; })) { uid = u; return true; }
          return false;
        });
      }
      if (uid) { select(uid, true); }
    });
    $("kb-naming").value = view.naming;
    $("kb-naming").addEventListener("change", function () { view.naming = this.value; render(); });
    slider.addEventListener("input", function () { view.date = iso(Number(slider.value)); render(); });
    $("kb-moment").addEventListener("change", function () { if (this.value) { setDate(this.value); } });
    function step(dir) {
      var target = null;
      if (dir > 0) { target = changeDates.filter(function (x) { return x > view.date; })[0]; }
      else { target = changeDates.filter(function (x) { return x < view.date; }).pop(); }
      if (target) { setDate(target); }
      return !!target;
    }
    $("kb-prev").addEventListener("click", function () { step(-1); });
    $("kb-next").addEventListener("click", function () { step(1); });
    var timer = null;
    $("kb-play").addEventListener("click", function () {
      if (timer) { stop(); return; }
      this.textContent = "⏸ Pause"; this.setAttribute("aria-pressed", "true");
      timer = setInterval(function () { if (!step(1)) { stop(); } }, 1200);
    });
    function stop() {
      clearInterval(timer); timer = null;
      $("kb-play").textContent = "▶ Play"; $("kb-play").setAttribute("aria-pressed", "false");
    }

    // 4. Rendering a view.
    var text = null, details = null;
    function entryAt(list, date) {
      var found = list[0];
      list.forEach(function (e) { if (e.date <= date) { found = e; } });
      return found;
    }
    function fmt(x) { return Number(x).toLocaleString("en-GB"); }
    function render() {
      slider.value = String(index(view.date));
      var long = KBMap.longDate(view.date);
      slider.setAttribute("aria-valuetext", long);
      $("kb-dateout").textContent = long;
      kb.show(view);
      var e = entryAt(T.entries, view.date), fig = $("kb-figures");
      fig.textContent = "";
      [["arm", "Armenian side " + fmt(e.armenian) + " km²"], ["aze", "Azerbaijan " + fmt(e.azerbaijani) + " km²"],
       ["", "disputed claims " + fmt(e.disputed) + " km²"], ["aze", "inside Armenia " + fmt(e.inside_armenia) + " km²"]].forEach(function (f) {
        fig.appendChild(el("span", f[1], f[0]));
      });
      $("kb-latest").textContent = e.event ? "Latest: " + e.event[1] + " (" + KBMap.longDate(e.event[0]) + ")" : "";
      renderText();
      if (view.place) { renderDetails(); }
      var q = new URLSearchParams();
      q.set("date", view.date);
      if (view.place) { q.set("place", view.place); }
      if (view.naming !== "both") { q.set("names", view.naming); }
      if (view.layers.join(",") !== T.default_layers.join(",")) { q.set("layers", view.layers.join(",")); }
      q.set("v", T.version);
      if (embed) { q.set("embed", "1"); }
      history.replaceState(null, "", "?" + q.toString());
      var here = location.href.split("?")[0];
      $("kb-link").setAttribute("href", "?" + q.toString());
      q.set("embed", "1");
      $("kb-embed-code").value = '<iframe data-karabakh-map src="' + here + "?" + q.toString() +
        '" title="Map: Nagorno-Karabakh 2020–2024" style="width:100%;height:600px;border:0" loading="lazy"></iframe>\n' +
        '<script src="' + new URL("../../embed.js", here).href + '"></' + 'script>';
      var pic = T.pictures.filter(function (x) { return x <= view.date; }).pop();
      $("kb-picture-line").hidden = !pic;
      if (pic) { $("kb-picture").setAttribute("href", "png/" + pic + ".png"); }
      if (embed && window.parent !== window) {
        window.parent.postMessage({karabakhMapHeight: document.documentElement.scrollHeight}, "*");
      }
    }
    function renderText() {
      if (!text) { return; }
      var e = entryAt(text.entries, view.date), t = entryAt(T.entries, view.date);
      var sentence = "On " + KBMap.longDate(view.date) + ", the Armenian side held " + fmt(t.armenian) +
        " km² and Azerbaijan " + fmt(t.azerbaijani) + " km² of the contested area" +
        (t.disputed ? " (" + fmt(t.disputed) + " km² under a disputed claim)" : "") +
        (t.inside_armenia ? "; Azerbaijani forces held about " + fmt(t.inside_armenia) + " km² inside Armenia by Armenian officials' figures" : "") +
        "." + (e.changed.length ? " Changed at the latest change date: " + e.changed.join(", ") + "." : "");
      $("kb-text-summary").textContent = sentence;
      var body = document.querySelector("#kb-text-table tbody");
      body.textContent = "";
      e.rows.forEach(function (r) {
        var tr = el("tr");
        r.forEach(function (c) { tr.appendChild(el("td", c)); });
        body.appendChild(tr);
      });
    }
    var KEY_WORDS = {armenian: "held by the Armenian side", azerbaijani: "held by Azerbaijan", none: "no holder"};
    function statusWords(uid) {
      var key = kb.entryAt(view.date).keys[uid];
      if (!key) { return "not shown on this date"; }
      var m = /^(cell|unit|place|village|border)-(armenian|azerbaijani|none)(-claimed)?$/.exec(key);
      if (m) {
        return KEY_WORDS[m[2]] + (m[3] ? "; claimed by " + (m[2] === "armenian" ? "Azerbaijan" : "the Armenian side") + ", denied (disputed)" : "");
      }
      if (key.indexOf("route-") === 0) { return "route " + key.slice(6).replace(/_/g, " ").replace("+", " and "); }
      return key.replace(/-/g, " ");
    }
    // A card; one dated after the shown date is greyed and says so in words.
    function futureCard(date) {
      var later = date > view.date, card = el("div", null, later ? "kb-card kb-future" : "kb-card");
      if (later) { card.appendChild(el("em", T.later, "kb-later")); }
      return card;
    }
    function sourceList(list) {
      var p = el("p", "Sources: ", "kb-sources");
      list.forEach(function (s, i) {
        if (i) { p.appendChild(document.createTextNode(" · ")); }
        p.appendChild(link(s.url, s.publisher + ": " + s.title));
      });
      return p;
    }
    function renderDetails() {
      var box = $("kb-details"), uid = view.place;
      if (!details) {
        getJSON("data/details.json").then(function (doc) { details = doc; render(); });
        return;
      }
      var f = details.features[uid];
      box.textContent = "";
      if (!f) { return; }
      box.appendChild(el("h2", f.name));
      box.appendChild(el("p", "English: " + f.names.en + " · Armenian usage: " + (f.names.hy || "—") + " · Azerbaijani usage: " + (f.names.az || "—")));
      box.appendChild(el("p", "On " + KBMap.longDate(view.date) + ": " + statusWords(uid)));
      if (f.accuracy) { box.appendChild(el("p", "Geometry: " + f.accuracy, "kb-sources")); }
      var claims = f.claims.length ? f.claims : (f.settlement && details.features["place:" + f.settlement] || {claims: []}).claims;
      box.appendChild(el("p", claims.length + " claim(s), " + f.events.length + " event(s)"));
      claims.forEach(function (c) {
        var card = futureCard(c.date);
        card.appendChild(el("div", KBMap.longDate(c.date) + " · claim by " + c.claimant_words +
          (c.disputed ? " (disputed" + (c.confirmed_on ? "; confirmed " + KBMap.longDate(c.confirmed_on) : "") + ")" : ""), "kb-when"));
        card.appendChild(el("p", c.summary));
        card.appendChild(sourceList(c.sources));
        c.denials.forEach(function (x) {
          card.appendChild(el("p", "Denied " + KBMap.longDate(x.date) + " by " + x.by_words + ": " + x.summary));
          card.appendChild(sourceList(x.sources));
        });
        c.confirmations.forEach(function (x) {
          card.appendChild(el("p", "Confirmed " + KBMap.longDate(x.date) + " (" + x.kind + "): " + x.summary));
          card.appendChild(sourceList(x.sources));
        });
        box.appendChild(card);
      });
      f.events.forEach(function (id) {
        var ev = details.events[id], card = futureCard(ev.date);
        var when = el("button", KBMap.longDate(ev.date), "kb-when");
        when.type = "button";
        when.addEventListener("click", function () { setDate(ev.date); });
        card.appendChild(when);
        card.appendChild(el("strong", " " + ev.title));
        card.appendChild(el("p", ev.summary));
        card.appendChild(el("p", "Confidence: " + ev.confidence + (ev.confidence_note ? " (" + ev.confidence_note + ")" : ""), "kb-sources"));
        ev.alternative_dates.forEach(function (a) { card.appendChild(el("p", "Alternative date " + KBMap.longDate(a.date) + ": " + a.note, "kb-sources")); });
        card.appendChild(sourceList(ev.sources));
        box.appendChild(card);
      });
    }
    function select(uid, focus) {
      if (!uids[uid]) { return false; }
      view.place = uid;
      render();
      if (focus) { $("kb-details").focus(); }
      return true;
    }
    function setDate(date) {
      if (!(date >= T.start && date <= T.end)) { return false; }
      view.date = date;
      render();
      return true;
    }

    // 5. The page's API, for host pages and tests (see README "Publishing").
    window.karabakhMap = {
      map: map, version: T.version,
      setDate: setDate, select: select,
      view: function () { return JSON.parse(JSON.stringify(view)); },
      styleOf: function (uid) { return kb.shownKey[uid] || "hidden"; }
    };
    render();
    getJSON("data/text.json").then(function (doc) { text = doc; renderText(); });
    document.body.setAttribute("data-ready", "1");
  }
})();
