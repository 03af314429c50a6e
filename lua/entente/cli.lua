--- entente.cli: the `entente` command (bin/entente calls cli.main(arg)).
--
--   entente run FILE [--date D] [--format text|md|json|html] [--seed N] [--runs N] [--out PATH]
--   entente check FILE...
--   entente convert IN OUT [--to ent|json]
--   entente help [COMMAND]
--
-- Exit codes: 0 success, 1 bad input (a file that cannot be read or does
-- not validate, a failed write), 2 usage (unknown command or option, a bad
-- option value), 3 an internal error (a bug: please report it).  Reports go
-- to stdout (or --out), errors to stderr.
--
-- cli.main(argv, env) -> exit code.  env (for tests) may replace stdout,
-- stderr (objects with :write), isatty(fd) and getenv(name).
local entente = require "entente"
local ent = require "entente.ent"
local json = require "entente.json"
local util = require "entente.util"

local cli = {}
local unpack = table.unpack or unpack

local OK, BAD_INPUT, USAGE, INTERNAL = 0, 1, 2, 3
cli.EXIT = {ok = OK, bad_input = BAD_INPUT, usage = USAGE, internal = INTERNAL}

local HELP = {}
HELP.main = [[
usage: entente <command> [options]

Scenarios of computational geopolitics (format: docs/scenario-format.md).

commands:
  run FILE          read a scenario (.ent or .json) and print its reports
  check FILE...     parse and validate scenario files, print nothing else
  convert IN OUT    convert a scenario between .ent and .json
  help [COMMAND]    this text, or the help of a command

options:
  -h, --help        help (also after a command: entente run --help)
  --version         the version of entente

exit codes: 0 ok, 1 bad input, 2 usage error, 3 internal error.
]]
HELP.run = [[
usage: entente run FILE [--date D] [--format text|md|json|html] [--seed N] [--runs N] [--out PATH]

Reads a scenario (.ent, or .json as written by entente convert) and prints:
the world summary as of its date; what changed between each `compare` pair
of dates; and, when those parts of entente are installed, the structural
balance, the entrapment report of each declared `conflict` and the
evaluation of the declared options.  A report that is not available in this
installation is named as such.

options:
  --date D          the as-of date (YYYY-MM-DD) instead of the scenario's date
  --format F        text (default), md (Markdown), json, or html (one self-contained page with the map and charts)
  --seed N          seed of the Monte Carlo runs (entrapment, options)
  --runs N          number of Monte Carlo runs (entrapment, options)
  --out PATH        write the report to PATH (atomically) instead of stdout
  --progress WHEN   auto (default: on a terminal, not when output is piped),
                    always or never

exit codes: 0 ok, 1 the scenario is invalid or a report failed, 2 usage.
]]
HELP.check = [[
usage: entente check FILE...

Parses and validates each scenario file (.ent or .json): syntax, dates,
actors, kinds, strengths, options.  Prints "FILE: ok (...)" for a good file
and every error of a bad one (file:line:col, the line, a caret) on stderr.

options:
  -q, --quiet       print nothing for good files

exit codes: 0 all files are valid, 1 at least one is not, 2 usage.
]]
HELP.convert = [[
usage: entente convert IN OUT [--to ent|json]

Converts a scenario between the .ent format and JSON; the formats are taken
from the file extensions (.ent, .json), or from --to when OUT is - (stdout).
Reading the output back gives the same world: actors, relations, events,
options, down to dates, strengths and sources.  The output file is written
atomically (a temporary file, then a rename).

options:
  --to FORMAT       ent or json: the output format (needed when OUT is -)

exit codes: 0 ok, 1 IN is invalid or OUT cannot be written, 2 usage.
]]

------------------------------------------------------------------ helpers

local function default_isatty(fd)
  local ok, how, code = os.execute("test -t " .. fd)
  if type(ok) == "number" then return ok == 0 end      -- Lua 5.1
  return ok == true and (how == nil or how == "exit") and (code == nil or code == 0)
end

local Usage = {}
local function usage(msg) error({Usage, msg}, 0) end

-- Parse "--name value", "--name=value" and flags; returns opts, positional.
local function getopts(args, spec, cmd)
  local opts, pos = {}, {}
  local i = 1
  while i <= #args do
    local a = args[i]
    if a == "--" then
      for j = i + 1, #args do pos[#pos + 1] = args[j] end
      break
    elseif a:sub(1, 1) == "-" and a ~= "-" then
      local name, val = a:match("^%-%-([^=]+)=(.*)$")
      if not name then name = a:match("^%-%-(.+)$") or a:match("^%-(.)$") end
      local key = name and spec[name]
      if not key then
        local names = {}
        for k in pairs(spec) do if #k > 1 then names[#names + 1] = "--" .. k end end
        table.sort(names)
        usage("unknown option '" .. a .. "' for '" .. cmd .. "'" .. util.suggest(a, names) ..
          " (see entente " .. cmd .. " --help)")
      end
      if key.flag then
        if val then usage("option --" .. name .. " takes no value") end
        opts[key.name] = true
      else
        if not val then
          i = i + 1
          val = args[i]
          if val == nil then usage("option '" .. a .. "' needs a value (" .. key.what .. ")") end
        end
        opts[key.name] = key.check(val, a)
      end
    else
      pos[#pos + 1] = a
    end
    i = i + 1
  end
  return opts, pos
end

-- A whole number written with digits (1e5 allowed), at least lo.
local function whole(lo)
  return function(v, opt)
    local n = (v:match("^%d+$") or v:match("^%d+[eE]%d+$")) and tonumber(v)
    if not n or n ~= math.floor(n) or n < lo or n >= 2 ^ 53 then
      usage("option " .. opt .. ": '" .. v .. "' is not a whole number >= " .. lo)
    end
    return n
  end
end

local function oneof(list)
  return function(v, opt)
    for _, x in ipairs(list) do if v == x then return v end end
    usage("option " .. opt .. ": '" .. v .. "' is not one of " .. table.concat(list, ", ") .. util.suggest(v, list))
  end
end

local function adate(v, opt)
  local d = entente.core.date_parse(v)
  if not d then usage("option " .. opt .. ": bad date '" .. v .. "', expected YYYY-MM-DD") end
  return entente.core.date_format(d)
end

local function anything(v) return v end

local function is_json(path) return path:lower():match("%.json$") ~= nil end

-- Read a scenario file: world, spec | nil, message.
local function load_scenario(path)
  if is_json(path) then
    local f, err = io.open(path, "rb")
    if not f then return nil, path .. ": " .. tostring(err) end
    local size = f:seek("end")
    if size and size > ent.LIMITS.max_bytes then
      f:close()
      return nil, path .. ": file is " .. size .. " bytes, more than the limit of " .. ent.LIMITS.max_bytes
    end
    f:seek("set", 0)
    local text = f:read("*a")
    f:close()
    return ent.decode_json(text, path)
  end
  return ent.read(path)
end

------------------------------------------------------------------ progress

-- A one-line bar on stderr, redrawn in place; nothing when disabled.
local function progress_bar(enabled, err, total)
  local bar = {done = 0}
  local last = ""
  function bar.step(label, frac)
    if not enabled then return end
    local done = bar.done + (frac or 0)
    local width = 24
    local n = math.floor(width * math.min(1, done / math.max(total, 1)) + 0.5)
    local line = string.format("\r[%s%s] %d/%d %s", string.rep("#", n), string.rep("-", width - n),
      math.min(total, math.floor(done) + 1), total, label)
    if #line > 79 then line = line:sub(1, 76) .. "..." end
    err:write(line .. string.rep(" ", math.max(0, #last - #line)))
    last = line
  end
  function bar.advance() bar.done = bar.done + 1 end
  function bar.clear()
    if enabled and last ~= "" then err:write("\r" .. string.rep(" ", #last) .. "\r") end
  end
  return bar
end

------------------------------------------------------------------ reports

local function fence(text) return "```\n" .. text .. "\n```" end

local function md_table(header, rows)
  local function cell(s) return (tostring(s):gsub("|", "\\|"):gsub("\n", " ")) end
  local out = {"| " .. table.concat(header, " | ") .. " |", "|" .. string.rep(" --- |", #header)}
  for _, r in ipairs(rows) do
    local cs = {}
    for i = 1, #header do cs[i] = cell(r[i] or "") end
    out[#out + 1] = "| " .. table.concat(cs, " | ") .. " |"
  end
  return table.concat(out, "\n")
end

local function summary_data(w, d)
  local data = {date = d, actors = {}, ties = {}, obligations = {}}
  for _, a in ipairs(w:actors()) do
    data.actors[#data.actors + 1] = {code = a.code, name = a.name, tags = a.tags}
    local ties = w:ties(a, {date = d})
    if next(ties) then data.ties[a.code] = ties end
  end
  for _, o in ipairs(w:obligations {date = d, level = "defence"}) do
    data.obligations[#data.obligations + 1] = {from = o.from, to = o.to, kind = o.kind, source = o.relation.source}
  end
  return data
end

local function compare_data(w, d1, d2)
  local ch = w:changes(d1, d2)
  local function rels(list)
    local out = {}
    for i, r in ipairs(list) do
      local info = r:info()
      info.id = nil
      out[i] = info
    end
    return out
  end
  local evs = {}
  for _, e in ipairs(w:events {from = d1, to = d2}) do
    evs[#evs + 1] = {date = e.date, ends = e.ends, from = e.from, to = e.to, cameo = e.cameo, goldstein = e.goldstein,
      text = e.text}
  end
  return {from = d1, to = d2, started = rels(ch.started), ended = rels(ch.ended), events = evs}
end

-- Each report: {id=, title=, text=, md=, data=} or {id=, title=, unavailable=why}.
local function build_reports(w, spec, o, bar)
  local reports = {}
  local d = w.date
  bar.step("summary")
  reports[#reports + 1] = {id = "summary", title = "Summary as of " .. d, text = w:summary {date = d},
    data = summary_data(w, d)}
  bar.advance()
  for _, c in ipairs(spec.compare or {}) do
    bar.step("compare " .. c[1] .. " " .. c[2])
    reports[#reports + 1] = {id = "compare", title = "What changed between " .. c[1] .. " and " .. c[2],
      text = w:compare(c[1], c[2]), data = compare_data(w, c[1], c[2])}
    bar.advance()
  end

  -- structural balance
  bar.step("balance")
  if type(entente.World.signed) == "function" then
    local ok, res = pcall(function()
      local g = w:signed {date = d}
      local b = g:balance()
      local data = {date = d, triangles = g:triangles(), balance = b}
      return {id = "balance", title = "Structural balance as of " .. d, text = g:report(), data = data}
    end)
    reports[#reports + 1] = ok and res or {id = "balance", title = "Structural balance", error = tostring(res)}
  else
    reports[#reports + 1] = {id = "balance", title = "Structural balance",
      unavailable = "the balance module (w:signed) is not installed"}
  end
  bar.advance()

  -- entrapment, one report per declared conflict
  for _, c in ipairs(spec.conflicts or {}) do
    local title = "Entrapment: " .. c.attacker .. " attacks " .. c.target .. " (as of " .. d .. ")"
    bar.step("entrapment " .. c.attacker .. " -> " .. c.target)
    if type(entente.World.entrapment) == "function" then
      local ok, res = pcall(function()
        local params = {}
        for k, v in pairs(c.params or {}) do params[k] = v end
        params.conflict = {{c.attacker, c.target}}
        params.date = params.date or d
        if o.runs then params.runs = o.runs end
        if o.seed then params.seed = o.seed end
        local r = w:entrapment(params)
        local actors = {}
        for _, a in ipairs(r.actors) do
          actors[#actors + 1] = {code = a.code, p = a.p, lo = a.lo, hi = a.hi, initial = a.initial,
            likely_side = a.likely_side}
        end
        local chains = {}
        for i, ch in ipairs(r.chains or {}) do chains[i] = ch.text end
        return {id = "entrapment", title = title, text = tostring(r),
          data = {attacker = c.attacker, target = c.target, date = r.date, method = r.method, runs = r.runs,
            seed = r.seed, actors = actors, chains = chains}}
      end)
      reports[#reports + 1] = ok and res or {id = "entrapment", title = title, error = tostring(res):gsub("^[^\n]-:%d+: ", "")}
    else
      reports[#reports + 1] = {id = "entrapment", title = title,
        unavailable = "the entrapment module (w:entrapment) is not installed"}
    end
    bar.advance()
  end

  -- options
  if #(spec.options or {}) > 0 or #(spec.evaluate or {}) > 0 then
    if type(entente.scenario) ~= "function" then
      reports[#reports + 1] = {id = "options", title = "Options",
        unavailable = "the options engine (entente.scenario) is not installed"}
    else
      local s, err = ent.scenario(w, spec)
      if not s then
        reports[#reports + 1] = {id = "options", title = "Options", error = err}
      else
        local evals = spec.evaluate or {}
        if #evals == 0 then
          local seen, list = {}, {}
          for _, op in ipairs(spec.options) do
            if not seen[op.actor] then seen[op.actor] = true; list[#list + 1] = {actor = op.actor} end
          end
          evals = list
        end
        for _, e in ipairs(evals) do
          local title = "Options of " .. e.actor
          bar.step("options of " .. e.actor)
          local ok, res = pcall(function()
            local settings = ent.materialize(e)
            if o.runs then settings.runs = o.runs end
            if o.seed then settings.seed = o.seed end
            if bar.enabled then
              settings.progress = function(done, total) bar.step("options of " .. e.actor, done / total) end
            end
            local okp, r = pcall(s.evaluate, s, settings)
            if not okp and settings.progress and tostring(r):find("progress") then
              settings.progress = nil
              r = s:evaluate(settings)
            elseif not okp then
              error(r, 0)
            end
            local text = type(r.report) == "function" and r:report() or tostring(r)
            local md = type(r.markdown) == "function" and r:markdown() or nil
            local data
            if type(r.json) == "function" then data = json.decode(r:json(), "options result") end
            return {id = "options", title = title, text = text, md = md, data = data}
          end)
          reports[#reports + 1] = ok and res or {id = "options", title = title, error = tostring(res):gsub("^[^\n]-:%d+: ", "")}
          bar.advance()
        end
      end
    end
  end
  return reports
end

local function render_text(w, reports, path)
  local out = {}
  out[#out + 1] = (w.title or "scenario") .. "  (" .. path .. ", as of " .. w.date .. ")"
  for _, r in ipairs(reports) do
    out[#out + 1] = ""
    out[#out + 1] = "== " .. r.title
    if r.unavailable then out[#out + 1] = "  not available: " .. r.unavailable
    elseif r.error then out[#out + 1] = "  failed: " .. r.error
    else out[#out + 1] = r.text end
  end
  return table.concat(out, "\n") .. "\n"
end

local function render_md(w, reports, path)
  local out = {"# " .. (w.title or "Scenario"), "", "File `" .. path .. "`, as of " .. w.date .. "."}
  if w.description then out[#out + 1] = ""; out[#out + 1] = tostring(w.description) end
  for _, r in ipairs(reports) do
    out[#out + 1] = ""
    out[#out + 1] = "## " .. r.title
    out[#out + 1] = ""
    if r.unavailable then out[#out + 1] = "Not available: " .. r.unavailable .. "."
    elseif r.error then out[#out + 1] = "Failed: " .. r.error
    elseif r.id == "summary" then
      local rows = {}
      for _, a in ipairs(r.data.actors) do rows[#rows + 1] = {a.code, a.name, table.concat(a.tags, ", ")} end
      out[#out + 1] = "### Actors"
      out[#out + 1] = ""
      out[#out + 1] = md_table({"code", "name", "tags"}, rows)
      rows = {}
      for _, a in ipairs(r.data.actors) do
        local ties = r.data.ties[a.code]
        if ties then
          local parts = {}
          for _, k in ipairs(util.sorted_keys(ties)) do parts[#parts + 1] = k .. ": " .. table.concat(ties[k], " ") end
          rows[#rows + 1] = {a.code, table.concat(parts, "; ")}
        end
      end
      out[#out + 1] = ""
      out[#out + 1] = "### Ties in force, by kind"
      out[#out + 1] = ""
      out[#out + 1] = md_table({"actor", "ties"}, rows)
      rows = {}
      for _, ob in ipairs(r.data.obligations) do rows[#rows + 1] = {ob.from .. " -> " .. ob.to, ob.kind, ob.source} end
      out[#out + 1] = ""
      out[#out + 1] = "### Defence obligations in force"
      out[#out + 1] = ""
      out[#out + 1] = #rows > 0 and md_table({"obliged", "kind", "source"}, rows) or "None."
    elseif r.id == "compare" then
      local rows = {}
      for _, x in ipairs(r.data.started) do
        rows[#rows + 1] = {"started", x.a .. " " .. x.b, x.kind, util.fmt(x.strength, 3), x.since or "", x.ends or "", x.source}
      end
      for _, x in ipairs(r.data.ended) do
        rows[#rows + 1] = {"ended", x.a .. " " .. x.b, x.kind, util.fmt(x.strength, 3), x.since or "", x.ends or "", x.source}
      end
      out[#out + 1] = #rows > 0 and md_table({"change", "actors", "kind", "strength", "since", "until", "source"}, rows)
        or "No relation started or ended."
      if #r.data.events > 0 then
        rows = {}
        for _, e in ipairs(r.data.events) do
          rows[#rows + 1] = {e.date .. (e.ends and (".." .. e.ends) or ""), e.from .. (e.to and (" -> " .. e.to) or ""),
            e.cameo or "", util.fmt(e.goldstein, 3), e.text}
        end
        out[#out + 1] = ""
        out[#out + 1] = "Events in that period:"
        out[#out + 1] = ""
        out[#out + 1] = md_table({"date", "actors", "CAMEO", "Goldstein", "text"}, rows)
      end
    elseif r.md then out[#out + 1] = r.md
    else out[#out + 1] = fence(r.text) end
  end
  return table.concat(out, "\n") .. "\n"
end

local function render_json(w, reports, path)
  local doc = {scenario = {file = path, title = w.title, date = w.date, description = w.description},
    reports = {}, unavailable = {}}
  for _, r in ipairs(reports) do
    local item = {id = r.id, title = r.title}
    if r.unavailable then item.unavailable = r.unavailable; doc.unavailable[#doc.unavailable + 1] = r.id
    elseif r.error then item.error = r.error
    else item.data = r.data or {text = r.text} end
    doc.reports[#doc.reports + 1] = item
  end
  return json.encode(doc, {indent = "  ", order = {"scenario", "reports", "unavailable", "id", "title", "file", "date",
    "description", "data"}}) .. "\n"
end

------------------------------------------------------------------ commands

local commands = {}

function commands.run(args, env)
  local o, pos = getopts(args, {
    date = {name = "date", what = "a date YYYY-MM-DD", check = adate},
    format = {name = "format", what = "text, md, json or html", check = oneof {"text", "md", "json", "html"}},
    seed = {name = "seed", what = "a whole number", check = whole(0)},
    runs = {name = "runs", what = "a whole number >= 1", check = whole(1)},
    out = {name = "out", what = "a file name", check = anything},
    progress = {name = "progress", what = "auto, always or never", check = oneof {"auto", "always", "never"}},
    help = {name = "help", flag = true}, h = {name = "help", flag = true},
  }, "run")
  if o.help then env.stdout:write(HELP.run); return OK end
  if #pos == 0 then usage("run needs a scenario file (entente run FILE.ent)") end
  if #pos > 1 then usage("run takes one scenario file, got " .. #pos .. " (" .. table.concat(pos, " ") .. ")") end
  local path = pos[1]
  local w, spec = load_scenario(path)
  if not w then env.stderr:write(spec, "\n"); return BAD_INPUT end
  if o.date then w.date = o.date end
  local show = o.progress == "always" or (o.progress ~= "never" and env.isatty(2) and (o.out or env.isatty(1)))
  local nsteps = 2 + #(spec.compare or {}) + #(spec.conflicts or {}) + math.max(#(spec.evaluate or {}),
    #(spec.options or {}) > 0 and 1 or 0)
  local bar = progress_bar(show, env.stderr, nsteps)
  bar.enabled = show
  local reports = build_reports(w, spec, o, bar)
  bar.clear()
  local fmt = o.format or "text"
  local text
  if fmt == "html" then
    text = require("entente.html").from_reports(w, reports, {file = path})
  else
    text = (fmt == "json" and render_json or fmt == "md" and render_md or render_text)(w, reports, path)
  end
  if o.out then
    local ok, err = ent.write_file(o.out, text)
    if not ok then env.stderr:write("entente: ", err, "\n"); return BAD_INPUT end
  else
    env.stdout:write(text)
  end
  for _, r in ipairs(reports) do
    if r.error then env.stderr:write("entente: ", r.title, ": ", r.error, "\n") end
  end
  for _, r in ipairs(reports) do if r.error then return BAD_INPUT end end
  return OK
end

function commands.check(args, env)
  local o, pos = getopts(args, {quiet = {name = "quiet", flag = true}, q = {name = "quiet", flag = true},
    help = {name = "help", flag = true}, h = {name = "help", flag = true}}, "check")
  if o.help then env.stdout:write(HELP.check); return OK end
  if #pos == 0 then usage("check needs at least one scenario file (entente check FILE.ent ...)") end
  local status = OK
  for _, path in ipairs(pos) do
    local w, spec = load_scenario(path)
    if w and type(entente.scenario) == "function" and #spec.options > 0 then
      local s, err = ent.scenario(w, spec)
      if not s then w, spec = nil, err end
    end
    if not w then
      env.stderr:write(spec, "\n")
      status = BAD_INPUT
    elseif not o.quiet then
      env.stdout:write(string.format("%s: ok (%d actors, %d relations, %d events, %d options)\n", path,
        #w:actors(), w:count_relations(), #w:events(), #spec.options))
    end
  end
  return status
end

function commands.convert(args, env)
  local o, pos = getopts(args, {to = {name = "to", what = "ent or json", check = oneof {"ent", "json"}},
    help = {name = "help", flag = true}, h = {name = "help", flag = true}}, "convert")
  if o.help then env.stdout:write(HELP.convert); return OK end
  if #pos ~= 2 then usage("convert needs an input and an output file (entente convert IN OUT), got " .. #pos) end
  local input, output = pos[1], pos[2]
  local to = o.to
  if not to then
    if output == "-" then usage("convert to stdout (-) needs --to ent or --to json") end
    if is_json(output) then to = "json"
    elseif output:lower():match("%.ent$") then to = "ent"
    else usage("cannot tell the output format of '" .. output .. "': name it .ent or .json, or give --to") end
  end
  local w, spec = load_scenario(input)
  if not w then env.stderr:write(spec, "\n"); return BAD_INPUT end
  local ok, text = pcall(to == "json" and ent.encode_json or ent.format, w, spec)
  if not ok then env.stderr:write("entente: cannot convert ", input, ": ", tostring(text), "\n"); return BAD_INPUT end
  if output == "-" then env.stdout:write(text); return OK end
  local wok, err = ent.write_file(output, text)
  if not wok then env.stderr:write("entente: ", err, "\n"); return BAD_INPUT end
  return OK
end

--- cli.main(argv, env) -> exit code
function cli.main(argv, env)
  env = env or {}
  local e = {stdout = env.stdout or io.stdout, stderr = env.stderr or io.stderr,
    isatty = env.isatty or default_isatty}
  local args = {}
  for i = 1, #(argv or {}) do args[i] = tostring(argv[i]) end
  local ok, code = pcall(function()
    local cmd = args[1]
    if cmd == nil then e.stderr:write(HELP.main); return USAGE end
    if cmd == "-h" or cmd == "--help" then e.stdout:write(HELP.main); return OK end
    if cmd == "--version" then e.stdout:write("entente ", tostring(entente.version), "\n"); return OK end
    if cmd == "help" then
      local topic = args[2]
      if topic == nil then e.stdout:write(HELP.main); return OK end
      if not HELP[topic] or topic == "main" then
        usage("no help for '" .. topic .. "'" .. util.suggest(topic, {"run", "check", "convert"}))
      end
      e.stdout:write(HELP[topic])
      return OK
    end
    local f = commands[cmd]
    if not f then
      usage("unknown command '" .. cmd .. "'" .. util.suggest(cmd, {"run", "check", "convert", "help"}) ..
        " (see entente --help)")
    end
    return f({select(2, unpack(args))}, e)
  end)
  if ok then return code end
  if type(code) == "table" and code[1] == Usage then
    e.stderr:write("entente: ", code[2], "\n")
    return USAGE
  end
  e.stderr:write("entente: internal error: ", tostring(code), "\n")
  return INTERNAL
end

return cli
