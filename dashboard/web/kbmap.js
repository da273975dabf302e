/* The map of both editions (the Streamlit explorer and the published site).
 *
 * new KBMap(leafletMap, options) draws every feature of the geometry file once, hidden,
 * and restyles them for a view {date, layers, naming} from the per-date states file that
 * the engine wrote (dashboard.views.mapview.style_table): a step touches only the features
 * whose style changed. Text from the data reaches the page only as text or escaped.
 *
 * options: geometry, states (parsed JSON), styles, patterns, labelZoom, legend
 * ([[styleKey, label], ...]), modelNote, onClick(uid, event).
 */
(function (root) {
  "use strict";

  var ESC = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"};
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"];
  var SVG = "http://www.w3.org/2000/svg";

  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return ESC[c]; }); }

  function longDate(iso) {
    var p = iso.split("-");
    return Number(p[2]) + " " + MONTHS[Number(p[1]) - 1] + " " + p[0];
  }

  /* The states file holds differences; rebuild one full table per entry date. */
  function expandStates(doc) {
    var entries = [], running = {};
    doc.entries.forEach(function (e) {
      Object.keys(e.keys).forEach(function (uid) { running[uid] = e.keys[uid]; });
      var changed = {};
      e.changed.forEach(function (uid) { changed[uid] = true; });
      entries.push({date: e.date, keys: Object.assign({}, running), changed: changed});
    });
    return entries;
  }

  /* The last entry on or before date (ISO dates sort as text); the first for earlier. */
  function entryAt(entries, date) {
    var lo = 0, hi = entries.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (entries[mid].date <= date) { lo = mid; } else { hi = mid - 1; }
    }
    return entries[lo];
  }

  function addPatterns(map, patterns) {
    var svg = map.getPanes().overlayPane.querySelector("svg");
    if (!svg || svg.querySelector("defs.kb-patterns")) { return; }
    var defs = document.createElementNS(SVG, "defs");
    defs.setAttribute("class", "kb-patterns");
    function rect(width, fill) {
      var r = document.createElementNS(SVG, "rect");
      r.setAttribute("width", width); r.setAttribute("height", "8"); r.setAttribute("fill", fill);
      return r;
    }
    Object.keys(patterns).forEach(function (id) {
      var pattern = document.createElementNS(SVG, "pattern");
      pattern.setAttribute("id", id);
      pattern.setAttribute("patternUnits", "userSpaceOnUse");
      pattern.setAttribute("width", "8"); pattern.setAttribute("height", "8");
      pattern.setAttribute("patternTransform", "rotate(45)");
      pattern.appendChild(rect("8", patterns[id][0]));
      pattern.appendChild(rect("3", patterns[id][1]));
      defs.appendChild(pattern);
    });
    svg.insertBefore(defs, svg.firstChild);
  }

  /* A legend swatch as CSS (a hatch pattern becomes a striped gradient). */
  function swatch(style, patterns) {
    var fill = style.fillOpacity ? style.fillColor : style.color;
    var m = /^url\(#(.+)\)$/.exec(fill || "");
    if (m && patterns[m[1]]) {
      var p = patterns[m[1]];
      fill = "repeating-linear-gradient(45deg," + p[1] + " 0 3px," + p[0] + " 3px 8px)";
    }
    var border = (style.dashArray ? "dashed " : "solid ") + (style.color || fill);
    return "background:" + fill + ";border:2px " + border;
  }

  /* A name fixed beside its place (towns always, villages when zoomed in). Leaflet's
   * tooltip measures its own box to place itself, which makes the browser lay the page
   * out once per label: about 1 s of work when the villages' hundreds of names open. This
   * label measures nothing; kbmap.css centres it on its point (translate: 0 -50%). */
  var FixedLabel = L.Tooltip.extend({
    _setPosition: function (pos) {
      var container = this._container;
      L.DomUtil.removeClass(container, "leaflet-tooltip-left");
      L.DomUtil.addClass(container, "leaflet-tooltip-right");
      L.DomUtil.setPosition(container,
                            pos.add(L.point(this.options.offset)).add(this._getAnchor()));
    }
  });

  /* Bind a label: fixed (FixedLabel, to the right) or shown on hover (Leaflet's own). */
  function bindLabel(layer, html, options) {
    layer.bindTooltip(options.permanent ? new FixedLabel().setContent(html) : html, options);
  }

  function KBMap(map, opts) {
    var self = this;
    this.map = map;
    this.opts = opts;
    this.styles = opts.styles;
    this.layers = {};
    this.labels = {};
    this.fixed = {};
    this.layerOf = {};
    this.shownKey = {};
    this.shownChanged = {};
    this.shownNaming = "both";  // the tooltips below are bound with both names
    this.view = null;
    this.villages = {};
    this.near = false;
    this.entries = expandStates(opts.states);
    L.geoJSON(opts.geometry, {
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, opts.styles.hidden); },
      style: function () { return opts.styles.hidden; },
      onEachFeature: function (f, layer) {
        var p = f.properties, fixed = p.permanent;
        self.layers[p.uid] = layer; self.fixed[p.uid] = fixed; self.layerOf[p.uid] = p.layer;
        self.labels[p.uid] = {both: p.label_both, hy: p.label_hy, az: p.label_az};
        if (p.zoomLabel) { self.villages[p.uid] = true; }
        // Villages get a fixed label only when zoomed in (villageLabels): hundreds of open
        // labels would slow the first draw and bury the map.
        bindLabel(layer, self.tip(p.uid, "both"), {
          permanent: fixed, direction: fixed ? "right" : "auto",
          sticky: !fixed && f.geometry.type !== "Point",
          className: fixed ? "kb-town" : "kb-tip", opacity: 0.9});
        layer.on("click", function (event) {
          if (opts.onClick) { opts.onClick(p.uid, event); }
        });
      }
    }).addTo(map);
    // Leaflet listens for focus on every feature (to show its tooltip), which makes each of
    // the ~800 shapes a tab stop in Chromium: a keyboard user would tab through them all
    // before reaching the page's controls. Keep them out of the tab order; the place box
    // is the keyboard's way to a place.
    Object.keys(this.layers).forEach(function (uid) {
      var el = self.layers[uid].getElement && self.layers[uid].getElement();
      if (el) { el.setAttribute("tabindex", "-1"); }
    });
    addPatterns(map, opts.patterns || {});
    // Village names only when zoomed in: hundreds of labels would bury the map.
    function zoomClass() {
      var far = map.getZoom() < (opts.labelZoom || 11);
      map.getContainer().classList.toggle("kb-far", far);
      if (far === self.near) { self.villageLabels(!far); }
    }
    map.on("zoomend", zoomClass);
    zoomClass();
    // The map's own date, in a corner: in every screenshot of the map.
    this.stamp = L.control({position: "bottomleft"});
    this.stamp.onAdd = function () { return L.DomUtil.create("div", "kb-date"); };
    this.stamp.addTo(map);
    if (opts.legend) { this.addLegend(); }
  }

  KBMap.prototype.tip = function (uid, naming) {
    var l = this.labels[uid];
    return '<span class="kb-label">' + esc(l[naming] || l.both) +
      '</span><span hidden>[[' + uid + ']]</span>';
  };

  /* Fixed labels for the front's villages (zoomed in), or hover labels (zoomed out). */
  KBMap.prototype.villageLabels = function (on) {
    var self = this, naming = this.shownNaming;
    this.near = on;
    Object.keys(this.villages).forEach(function (uid) {
      var layer = self.layers[uid];
      layer.unbindTooltip();
      bindLabel(layer, self.tip(uid, naming), on ?
        {permanent: true, direction: "right", className: "kb-town kb-village", opacity: 0.9} :
        {direction: "auto", className: "kb-tip", opacity: 0.9});
      if (on && self.shownKey[uid]) { layer.openTooltip(); }
    });
  };

  KBMap.prototype.label = function (uid, naming) {
    var l = this.labels[uid];
    return l ? (l[naming] || l.both) : null;
  };

  /* A collapsible legend inside the map, listing only what the shown date draws. */
  KBMap.prototype.addLegend = function () {
    var self = this, opts = this.opts;
    var control = L.control({position: "topright"});
    control.onAdd = function () {
      var box = L.DomUtil.create("details", "kb-legend");
      box.open = !opts.legendClosed;
      var summary = L.DomUtil.create("summary", "", box);
      summary.textContent = "Legend";
      var list = L.DomUtil.create("ul", "", box);
      opts.legend.forEach(function (item) {
        var li = L.DomUtil.create("li", "", list);
        li.setAttribute("data-key", item[0]);
        var sw = L.DomUtil.create("span", "kb-swatch", li);
        sw.setAttribute("style", swatch(opts.styles[item[0]], opts.patterns || {}));
        li.appendChild(document.createTextNode(item[1]));
      });
      if (opts.modelNote) {
        var note = L.DomUtil.create("p", "kb-model-note", box);
        note.textContent = opts.modelNote;
      }
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      self.legendBox = box;
      return box;
    };
    control.addTo(this.map);
  };

  KBMap.prototype.entryAt = function (date) { return entryAt(this.entries, date); };

  /* Show a view {date, layers: [...], naming, highlight?: [uid, ...]}; touch only what
   * differs from what is shown. ``highlight`` (a comparison of two dates) replaces the
   * default highlight of what changed at the latest change date. */
  KBMap.prototype.show = function (view) {
    var self = this, styles = this.styles;
    this.view = view;
    var entry = this.entryAt(view.date), on = {}, used = {}, marked = entry.changed;
    if (view.highlight) {
      marked = {};
      view.highlight.forEach(function (uid) { marked[uid] = true; });
    }
    view.layers.forEach(function (name) { on[name] = true; });
    var renamed = view.naming !== this.shownNaming;
    Object.keys(this.layers).forEach(function (uid) {
      var layer = self.layers[uid], key = on[self.layerOf[uid]] ? entry.keys[uid] || null : null;
      var hot = !!(key && marked[uid]);
      if (key) { used[key] = true; }
      if (key !== self.shownKey[uid] || hot !== !!self.shownChanged[uid]) {
        var style = Object.assign({}, styles.hidden, key ? styles[key] : {});
        if (hot) { Object.assign(style, styles["changed-" + uid.split(":")[0]]); }
        layer.setStyle(style);
        if (style.radius && layer.setRadius) { layer.setRadius(style.radius); }
        var el = layer.getElement && layer.getElement();
        if (el) {
          el.style.display = key ? "" : "none";
          el.setAttribute("data-uid", uid);
          el.setAttribute("data-kb-style", key || "hidden");
        }
        if (self.fixed[uid] || (self.near && self.villages[uid])) {
          if (key) { layer.openTooltip(); } else { layer.closeTooltip(); }
        }
        self.shownKey[uid] = key; self.shownChanged[uid] = hot;
      }
      if (renamed) { layer.setTooltipContent(self.tip(uid, view.naming)); }
    });
    this.shownNaming = view.naming;
    this.map.getContainer().dataset.kbDate = view.date;
    this.stamp.getContainer().textContent = longDate(view.date);
    if (this.legendBox) {
      this.legendBox.querySelectorAll("li").forEach(function (li) {
        li.hidden = !used[li.getAttribute("data-key")];
      });
    }
    return entry;
  };

  KBMap.longDate = longDate;
  KBMap.esc = esc;
  KBMap.entryAt = entryAt;
  KBMap.expandStates = expandStates;
  root.KBMap = KBMap;
})(window);
