/* The hub's additions to Decap CMS (served at /admin/ by `invoke edit`, never in a built site):
   - the "hub-headers" format: Pelican's `Key: value` headers (or YAML front matter) read into the
     editor's fields and written back changing only the lines of the fields that changed;
   - the "hub-taxonomy" format: content/taxonomy.toml's tables as lists, unchanged tables kept as written;
   - the "hub-tags" widget: tags offered by their label in the language being edited, new tags allowed;
   - a check before saving that every image has its description (alt text);
   - the preview pane with the site's stylesheet, and the content checks' problems of the entry
     being edited, from the live preview's server (/admin/problems.json).
   HUB_HEADERS (hub-headers.js) is the checks' list of headers (plugins/hub_check/headers.py). */
(function () {
  "use strict";
  var CMS = window.CMS, h = window.h, createClass = window.createClass;
  var HEADERS = window.HUB_HEADERS;  // [{key, name, widget}], in the order new files get them
  var BY_KEY = {};
  HEADERS.forEach(function (header) { BY_KEY[header.key] = header; });
  var SOURCE = "__hub_source";  // the file as read: unchanged lines are written back as they were

  /* ---- reading ------------------------------------------------------------------------------ */

  function unquote(text) {
    var value = text.trim();
    if (value.length > 1 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
      value = value.slice(1, -1);
      if (text.trim()[0] === '"') { value = value.replace(/\\"/g, '"').replace(/\\\\/g, "\\"); }
      else { value = value.replace(/''/g, "'"); }
    }
    return value;
  }

  /* The file's header block: {yaml, blocks: [{key, name, value, lines}], bodyStart (offset)}. */
  function parseFile(text) {
    var lines = text.split("\n"), blocks = [], offset = 0, i, line, match;
    var yaml = /^\ufeff?---\s*$/.test(lines[0]);
    if (yaml) {
      offset = lines[0].length + 1;
      for (i = 1; i < lines.length; i++) {
        line = lines[i];
        if (/^(---|\.\.\.)\s*$/.test(line)) {
          return {yaml: true, blocks: blocks, headerEnd: offset, bodyStart: offset + line.length + 1};
        }
        match = /^([A-Za-z][A-Za-z0-9_-]*)\s*:\s?(.*)$/.exec(line);
        var last = blocks[blocks.length - 1];
        if (match) {
          blocks.push({key: match[1].toLowerCase(), name: match[1], value: unquote(match[2]), lines: [line], list: []});
        } else if (last && /^\s+-\s/.test(line)) {
          last.list.push(unquote(line.replace(/^\s+-\s/, ""))); last.lines.push(line);
          last.value = last.list.join(", ");
        } else if (last && /^\s+\S/.test(line)) {
          last.lines.push(line); last.value = (last.value + " " + line.trim()).trim();
        } else {
          blocks.push({key: null, lines: [line]});
        }
        offset += line.length + 1;
      }
      return {yaml: true, blocks: blocks, headerEnd: offset, bodyStart: text.length};
    }
    for (i = 0; i < lines.length; i++) {
      line = lines[i];
      if (!line.trim()) {
        return {yaml: false, blocks: blocks, headerEnd: offset, bodyStart: offset + line.length + 1};
      }
      match = /^([A-Za-z][A-Za-z0-9_-]*)\s*:\s?(.*)$/.exec(line);
      if (match) {
        blocks.push({key: match[1].toLowerCase(), name: match[1], value: match[2], lines: [line]});
      } else if (/^[ \t]/.test(line) && blocks.length) {
        var previous = blocks[blocks.length - 1];
        previous.lines.push(line); previous.value = previous.value + " " + line.trim();
      } else {
        return {yaml: false, blocks: blocks, headerEnd: offset, bodyStart: offset};
      }
      offset += line.length + 1;
    }
    return {yaml: false, blocks: blocks, headerEnd: offset, bodyStart: text.length};
  }

  /* A header's text as the editor's field holds it (the value a widget gets and gives). */
  function fieldValue(key, text) {
    var header = BY_KEY[key], value = (text || "").trim();
    if (!header || !header.widget) { return undefined; }
    if (header.widget === "boolean") { return value.toLowerCase() === "true"; }
    if (header.widget === "languages") {
      return value ? value.split(value.indexOf(";") >= 0 ? ";" : ",").map(function (v) { return v.trim(); })
        .filter(Boolean) : [];
    }
    if (header.widget === "status") { return value.toLowerCase() || "published"; }
    return value;
  }

  /* A field's value as header text ("" for none: the header is left out). */
  function headerText(key, value) {
    var header = BY_KEY[key];
    if (value === undefined || value === null) { return ""; }
    if (header && header.widget === "boolean") { return value === true || value === "true" ? "true" : ""; }
    if (header && header.widget === "status" && value === "published") { return ""; }
    if (Array.isArray(value)) { return value.join(", "); }
    return String(value).replace(/\s*\n\s*/g, " ").trim();
  }

  function fromFile(text) {
    var parsed = parseFile(text), data = {};
    parsed.blocks.forEach(function (block) {
      if (block.key && BY_KEY[block.key] && BY_KEY[block.key].widget && !(block.key in data)) {
        data[block.key] = fieldValue(block.key, block.value);
      }
    });
    data.body = text.slice(parsed.bodyStart);
    data[SOURCE] = text;
    return data;
  }

  /* ---- writing ------------------------------------------------------------------------------ */

  function yamlScalar(value) {
    return /^[\w][\w .,/()%@+-]*$/.test(value) && !/: |\s$/.test(value) && !/^(true|false|null|yes|no|\d[\d.:-]*)$/i.test(value)
      ? value : JSON.stringify(value);
  }

  function headerLine(yaml, name, text) {
    return yaml ? name + ": " + yamlScalar(text) : name + ": " + text;
  }

  /* Is the file the data was read from this version's own? ("Fill in from another locale" copies
     the other version's data, and its source with it: a translation is then written afresh.) */
  function ownSource(data, parsed) {
    var source = {};
    parsed.blocks.forEach(function (block) { if (block.key && !(block.key in source)) { source[block.key] = block.value; } });
    return headerText("slug", data.slug) === headerText("slug", fieldValue("slug", source.slug)) &&
      headerText("translation", data.translation) === headerText("translation", fieldValue("translation", source.translation));
  }

  function toFile(data) {
    var keys = HEADERS.filter(function (header) { return header.widget; }).map(function (header) { return header.key; });
    var body = typeof data.body === "string" ? data.body : "";
    if (!headerText("title", data.title) && !body.trim()) { return ""; }  // no version in this language
    var source = typeof data[SOURCE] === "string" ? data[SOURCE] : null;
    var parsed = source !== null ? parseFile(source) : null;
    if (parsed && !ownSource(data, parsed)) { parsed = null; source = null; }
    var lines = [], seen = {};
    var yaml = parsed ? parsed.yaml : false;
    if (parsed) {
      parsed.blocks.forEach(function (block) {
        var header = block.key && BY_KEY[block.key];
        if (!header || !header.widget || seen[block.key]) { lines.push.apply(lines, block.lines); return; }
        seen[block.key] = true;
        var before = headerText(block.key, fieldValue(block.key, block.value));
        var now = headerText(block.key, data[block.key]);
        if (now === before) { lines.push.apply(lines, block.lines); }
        else if (now || BY_KEY[block.key].widget === "long_text") { lines.push(headerLine(yaml, block.name, now)); }
        // else: emptied, the header goes
      });
    }
    keys.forEach(function (key) {
      var text = headerText(key, data[key]);
      if (!seen[key] && text) { lines.push(headerLine(yaml, BY_KEY[key].name, text)); }
    });
    var head = yaml ? "---\n" + lines.join("\n") + "\n---\n" : lines.join("\n") + "\n\n";
    if (source !== null) {
      var sourceHead = source.slice(0, parsed.bodyStart), sourceBody = source.slice(parsed.bodyStart);
      var rebuilt = parsed.yaml ? "---\n" + lines.join("\n") + "\n---\n" : lines.join("\n") + "\n\n";
      var unchangedHead = lines.join("\n") === parsed.blocks.map(function (b) { return b.lines.join("\n"); }).join("\n");
      head = unchangedHead ? sourceHead : rebuilt;
      if (body === sourceBody) { return head + sourceBody; }
    }
    return head + body.replace(/\s*$/, "") + "\n";
  }

  CMS.registerCustomFormat("hub-headers", "md", {fromFile: fromFile, toFile: toFile});

  /* ---- content/taxonomy.toml ---------------------------------------------------------------- */

  function tomlString(text) { return JSON.stringify(text); }
  function tomlValue(text) {
    var value = text.trim();
    if (value[0] === '"') { return JSON.parse(value.replace(/\s+#.*$/, "")); }
    if (value[0] === "[") {
      var items = []; value.replace(/"((?:[^"\\]|\\.)*)"/g, function (_, item) { items.push(JSON.parse('"' + item + '"')); });
      return items;
    }
    return value;
  }

  /* Tables of the file ([categories.x], [tags.y]), each with its lines; plain keys of the subset
     the hub writes (strings, lists of strings, inline tables, which are kept as written). */
  function parseTaxonomy(text) {
    var tables = [], preamble = [], current = null;
    text.split("\n").forEach(function (line) {
      var header = /^\[(categories|tags)\.([A-Za-z0-9_-]+)\]\s*(#.*)?$/.exec(line);
      if (header) {
        current = {kind: header[1], id: header[2], lines: [line], values: {}};
        tables.push(current);
        return;
      }
      if (!current) { preamble.push(line); return; }
      current.lines.push(line);
      var pair = /^([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*(.*)$/.exec(line);
      if (pair && pair[2].trim()[0] !== "{") { current.values[pair[1]] = tomlValue(pair[2]); }
    });
    return {preamble: preamble, tables: tables};
  }

  function taxonomyFromFile(text) {
    var parsed = parseTaxonomy(text), data = {categories: [], tags: []};
    parsed.tables.forEach(function (table) {
      var item = {id: table.id};
      Object.keys(table.values).forEach(function (key) { item[key] = table.values[key]; });
      data[table.kind].push(item);
    });
    data[SOURCE] = text;
    return data;
  }

  function taxonomyToFile(data) {
    var source = data[SOURCE] || "", parsed = parseTaxonomy(source), out = parsed.preamble.slice();
    var old = {};
    parsed.tables.forEach(function (table) { old[table.kind + "." + table.id] = table; });
    ["categories", "tags"].forEach(function (kind) {
      (data[kind] || []).forEach(function (item) {
        var table = old[kind + "." + item.id], lines = table ? table.lines.slice() : ["[" + kind + "." + item.id + "]"];
        var trailing = [];
        while (lines.length > 1 && !lines[lines.length - 1].trim()) { trailing.unshift(lines.pop()); }
        ["fr", "es", "en", "aliases"].forEach(function (key) {
          var value = item[key], had = table ? table.values[key] : undefined;
          var empty = value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length);
          if (JSON.stringify(value) === JSON.stringify(had) || (empty && had === undefined)) { return; }
          var text = Array.isArray(value) ? "[" + value.map(tomlString).join(", ") + "]" : tomlString(String(value));
          var at = lines.findIndex(function (line) { return new RegExp("^" + key + "\\s*=").test(line); });
          if (empty) { if (at >= 0) { lines.splice(at, 1); } }
          else if (at >= 0) { lines[at] = key + " = " + text; }
          else { lines.push(key + " = " + text); }
        });
        if (!table && !trailing.length) { trailing = [""]; }
        out.push.apply(out, lines.concat(trailing));
      });
    });
    var text = out.join("\n");
    return text.endsWith("\n") ? text : text + "\n";
  }

  CMS.registerCustomFormat("hub-taxonomy", "toml", {fromFile: taxonomyFromFile, toFile: taxonomyToFile});

  /* ---- content/editions.toml: [[edition]] tables, each kept as written unless edited -------- */

  /* One TOML value of the subset the file uses: a string, a number, a list, an inline table. */
  function readValue(text) {
    var at = 0;
    function space() { while (at < text.length && /[ \t]/.test(text[at])) { at++; } }
    function value() {
      space();
      var c = text[at];
      if (c === '"') {
        var end = at + 1;
        while (end < text.length && text[end] !== '"') { end += text[end] === "\\" ? 2 : 1; }
        var string = JSON.parse(text.slice(at, end + 1)); at = end + 1; return string;
      }
      if (c === "[") {
        at++; var items = [];
        for (;;) { space(); if (text[at] === "]") { at++; return items; } items.push(value()); space(); if (text[at] === ",") { at++; } }
      }
      if (c === "{") {
        at++; var table = {};
        for (;;) {
          space(); if (text[at] === "}") { at++; return table; }
          var key = /^[A-Za-z0-9_-]+/.exec(text.slice(at))[0]; at += key.length; space(); at++;  // the '='
          table[key] = value(); space(); if (text[at] === ",") { at++; }
        }
      }
      var bare = /^[^,\]}\s#]+/.exec(text.slice(at))[0]; at += bare.length;
      return /^-?\d+$/.test(bare) ? parseInt(bare, 10) : bare === "true" ? true : bare === "false" ? false : bare;
    }
    return value();
  }

  function writeValue(value) {
    if (Array.isArray(value)) { return "[" + value.map(writeValue).join(", ") + "]"; }
    if (value && typeof value === "object") {
      return "{ " + Object.keys(value).map(function (key) { return key + " = " + writeValue(value[key]); }).join(", ") + " }";
    }
    return typeof value === "string" ? JSON.stringify(value) : String(value);
  }

  function parseEditions(text) {
    var preamble = [], editions = [], current = null, target = null;
    text.split("\n").forEach(function (line) {
      var header = /^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?\s*(#.*)?$/.exec(line), pair;
      if (header && header[1] === "edition") {
        current = {lines: [line], data: {}}; target = current.data; editions.push(current); return;
      }
      if (!current) { preamble.push(line); return; }
      current.lines.push(line);
      if (header) {
        var name = header[1].replace(/^edition\./, "");
        if (/^\s*\[\[/.test(line)) { (current.data[name] = current.data[name] || []).push(target = {}); }
        else { target = current.data[name] = {}; }
      } else if ((pair = /^\s*([A-Za-z0-9_-]+)\s*=\s*(.+?)\s*$/.exec(line))) {
        target[pair[1]] = readValue(pair[2]);
      }
    });
    return {preamble: preamble, editions: editions};
  }

  /* Without empty values (the editor gives "" or [] for a field left unset); keys sorted to compare. */
  function clean(value, sorted) {
    if (Array.isArray(value)) { return value.map(function (item) { return clean(item, sorted); }); }
    if (value && typeof value === "object") {
      var out = {}, keys = Object.keys(value);
      (sorted ? keys.sort() : keys).forEach(function (key) {
        var item = value[key];
        if (item === "" || item === null || item === undefined || (Array.isArray(item) && !item.length)) { return; }
        out[key] = clean(item, sorted);
      });
      return out;
    }
    return value;
  }

  function writeEdition(edition) {
    var lines = ["[[edition]]"], tables = [];
    Object.keys(edition).forEach(function (key) {
      var value = edition[key];
      if (Array.isArray(value) && value.length && typeof value[0] === "object") { tables.push([key, value]); }
      else if (value && typeof value === "object" && !Array.isArray(value) && key !== "cover_alt") { tables.push([key, value]); }
      else { lines.push(key + " = " + writeValue(value)); }
    });
    tables.forEach(function (pair) {
      (Array.isArray(pair[1]) ? pair[1] : [pair[1]]).forEach(function (table) {
        lines.push(Array.isArray(pair[1]) ? "[[edition." + pair[0] + "]]" : "[edition." + pair[0] + "]");
        Object.keys(table).forEach(function (key) { lines.push(key + " = " + writeValue(table[key])); });
      });
    });
    return lines.concat([""]);
  }

  function editionsFromFile(text) {
    var parsed = parseEditions(text);
    return {edition: parsed.editions.map(function (edition) { return edition.data; }), __hub_source: text};
  }

  function editionsToFile(data) {
    var source = data[SOURCE] || "", parsed = parseEditions(source), out = parsed.preamble.slice();
    var kept = {};
    parsed.editions.forEach(function (edition) { kept[JSON.stringify(clean(edition.data, true))] = edition.lines; });
    (data.edition || []).forEach(function (edition) {
      var lines = kept[JSON.stringify(clean(edition, true))];
      out.push.apply(out, lines || writeEdition(clean(edition, false)));
    });
    var text = out.join("\n");
    return text.endsWith("\n") ? text : text + "\n";
  }

  CMS.registerCustomFormat("hub-editions", "toml", {fromFile: editionsFromFile, toFile: editionsToFile});

  /* ---- tags: labels in the language being edited, free tags allowed ------------------------- */

  var TagsControl = createClass({
    render: function () {
      var props = this.props, labels = (props.field.get("labels") || {});
      labels = labels.toJS ? labels.toJS() : labels;
      var offered = labels[props.locale] || labels[Object.keys(labels)[0]] || [];
      var listId = "hub-tags-" + (props.locale || "x") + "-" + props.forID;
      return h("div", {className: props.classNameWrapper},
        h("input", {id: props.forID, type: "text", list: listId, value: props.value || "",
                    "aria-describedby": listId + "-hint", style: {width: "100%", border: 0, outline: "none", font: "inherit"},
                    onChange: function (event) { props.onChange(event.target.value); },
                    onFocus: props.setActiveStyle, onBlur: props.setInactiveStyle}),
        h("datalist", {id: listId}, offered.map(function (label) {
          var typed = (props.value || "").split(",").map(function (t) { return t.trim(); }).filter(Boolean);
          var prefix = typed.length > 1 || /,\s*$/.test(props.value || "") ? (props.value || "").replace(/[^,]*$/, " ").replace(/^ /, "") : "";
          return h("option", {key: label, value: (prefix ? prefix.replace(/\s*$/, " ") : "") + label});
        })),
        h("p", {id: listId + "-hint", className: "hub-tags-known"},
          "Tags in " + (props.locale || "this language") + ": " + offered.join(" · ")));
    }
  });
  var TagsPreview = function (props) { return h("span", {}, props.value || ""); };
  CMS.registerWidget("hub-tags", TagsControl, TagsPreview);

  /* ---- before saving: every image described ------------------------------------------------- */

  function missingAlt(data, locale) {
    var problems = [];
    if (!data || !(data.title || "").trim()) { return problems; }  // no version in this language
    if (data.image && !(data.image_alt || "").trim()) {
      problems.push("the featured image needs its description (alt text) in " + locale);
    }
    var body = data.body || "", match, pattern = /!\[([^\]]*)\]\(([^)\s]*)/g;
    while ((match = pattern.exec(body))) {
      if (!match[1].trim()) { problems.push("the image " + match[2] + " needs a description between the brackets in " + locale); }
    }
    return problems;
  }

  CMS.registerEventListener({
    name: "preSave",
    handler: function (event) {
      var entry = event.entry, problems = missingAlt(entry.get("data").toJS(), window.HUB_DEFAULT_LOCALE);
      var i18n = entry.get("i18n");
      if (i18n) {
        i18n.forEach(function (value, locale) {
          var data = value.get("data");
          problems = problems.concat(missingAlt(data && data.toJS ? data.toJS() : data, locale));
        });
      }
      if (problems.length) { throw new Error("Not saved: " + problems.join("; ")); }
    }
  });

  /* ---- preview: the site's stylesheet and an article as the site lays it out ---------------- */

  CMS.registerPreviewStyle("/admin/site/hub.css");
  CMS.registerPreviewStyle("/admin/preview.css");
  var ArticlePreview = createClass({
    render: function () {
      var entry = this.props.entry, get = function (key) { return entry.getIn(["data", key]); };
      var image = get("image"), asset = image ? this.props.getAsset(image) : null;
      var facts = [];
      if (get("deadline")) { facts.push(h("div", {key: "d"}, h("dt", {}, "Deadline"), h("dd", {}, get("deadline")))); }
      if (get("event_start")) {
        facts.push(h("div", {key: "e"}, h("dt", {}, "Date"), h("dd", {}, get("event_start") +
          (get("event_end") ? " – " + get("event_end") : "") + (get("event_timezone") ? " (" + get("event_timezone") + ")" : ""))));
        facts.push(h("div", {key: "p"}, h("dt", {}, "Place"), h("dd", {}, get("location") || "—")));
      }
      return h("main", {}, h("div", {className: "wrap"},
        h("article", {className: "article"},
          h("header", {className: "article-header"},
            h("h1", {}, get("title") || ""),
            h("p", {className: "article-meta"}, [get("date"), get("authors")].filter(Boolean).join(" · "))),
          facts.length ? h("dl", {className: "facts"}, facts) : null,
          asset ? h("figure", {className: "featured-image"},
            h("img", {src: asset.toString(), alt: get("image_alt") || ""}),
            get("image_credit") ? h("figcaption", {className: "image-credit"}, get("image_credit")) : null) : null,
          get("summary") ? h("p", {className: "hub-preview-summary"}, get("summary")) : null,
          h("div", {className: "prose"}, this.props.widgetFor("body")))));
    }
  });
  CMS.registerPreviewTemplate("articles", ArticlePreview);
  CMS.registerPreviewTemplate("pages", ArticlePreview);

  /* ---- problems of the entry being edited, after each save ---------------------------------- */

  var banner = null, lastShown = "";
  function showProblems() {
    var match = /#\/collections\/(articles|pages)\/entries\/([^/?]+)/.exec(window.location.hash);
    if (!match) { if (banner) { banner.hidden = true; } lastShown = ""; return; }
    fetch("/admin/problems.json?collection=" + match[1] + "&entry=" + encodeURIComponent(match[2]), {cache: "no-store"})
      .then(function (response) { return response.json(); })
      .then(function (report) {
        if (!banner) {
          banner = document.createElement("section");
          banner.id = "hub-problems"; banner.setAttribute("role", "status"); banner.setAttribute("aria-live", "polite");
          document.body.appendChild(banner);
        }
        var key = JSON.stringify(report);
        if (key === lastShown) { banner.hidden = false; return; }
        lastShown = key;
        banner.textContent = "";
        var title = document.createElement("h2");
        title.textContent = report.problems.length ? "Content checks: " + report.problems.length + " problem(s)" +
          (report.building ? " (checking again...)" : "") : "Content checks: no problem";
        banner.className = report.problems.some(function (p) { return p.level === "error"; }) ? "has-errors" :
          report.problems.length ? "has-warnings" : "is-clean";
        banner.appendChild(title);
        var list = document.createElement("ul");
        report.problems.forEach(function (problem) {
          var item = document.createElement("li");
          item.className = "problem-" + problem.level;
          item.textContent = problem.text;
          list.appendChild(item);
        });
        banner.appendChild(list);
        if (report.previews && report.previews.length) {
          var links = document.createElement("p");
          links.appendChild(document.createTextNode("Live preview: "));
          report.previews.forEach(function (preview, index) {
            var link = document.createElement("a");
            link.href = preview.url; link.target = "hub-preview"; link.textContent = preview.lang;
            link.setAttribute("hreflang", preview.lang);
            if (index) { links.appendChild(document.createTextNode(" · ")); }
            links.appendChild(link);
          });
          banner.appendChild(links);
        }
        banner.hidden = false;
      })
      .catch(function () { /* the server is restarting: next time */ });
  }
  window.setInterval(showProblems, 2000);
  window.addEventListener("hashchange", showProblems);

  CMS.init();
})();
