-- spec/cli_spec.lua: the `entente` command (lua/entente/cli.lua, bin/entente).
local entente = require "entente"
local ent = require "entente.ent"
local json = require "entente.json"
local cli = require "entente.cli"

local FLAGSHIP = "examples/russia_dprk_pact.ent"

local function sink()
  local buf = {}
  return {write = function(self, ...) for _, s in ipairs {...} do buf[#buf + 1] = tostring(s) end return self end,
    text = function() return table.concat(buf) end}
end

-- Run cli.main with captured output; tty says whether stdout/stderr are terminals.
local function run(args, tty)
  local out, err = sink(), sink()
  local code = cli.main(args, {stdout = out, stderr = err, isatty = function() return tty or false end})
  return code, out.text(), err.text()
end

local function tmpname(suffix)
  local n = os.tmpname()
  os.remove(n)
  return n .. suffix
end

local function readfile(path)
  local f = io.open(path, "rb")
  if not f then return nil end
  local t = f:read("*a")
  f:close()
  return t
end

local function writefile(path, text)
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
end

local BAD = 'actor RUS\nRUS -- PKR : defence\ntitle\n'

describe("entente command", function()
  describe("help and usage", function()
    it("prints help for the command and each subcommand on stdout, exit 0", function()
      for _, args in ipairs {{"--help"}, {"-h"}, {"help"}, {"help", "run"}, {"run", "--help"}, {"check", "-h"},
          {"convert", "--help"}} do
        local code, out, err = run(args)
        assert.are.equal(0, code)
        assert.matches("^usage: entente", out)
        assert.are.equal("", err)
      end
      local _, out = run {"run", "--help"}
      assert.matches("%-%-format F", out)
      assert.matches("exit codes: 0 ok", out)
    end)

    it("prints the version", function()
      local code, out = run {"--version"}
      assert.are.equal(0, code)
      assert.are.equal("entente " .. entente.version .. "\n", out)
    end)

    it("exits 2 with a message on stderr for usage errors", function()
      local cases = {
        {{}, "^usage: entente"},
        {{"rn", "x.ent"}, "unknown command 'rn' %(did you mean 'run'%?%)"},
        {{"run"}, "run needs a scenario file"},
        {{"run", "a.ent", "b.ent"}, "run takes one scenario file, got 2"},
        {{"run", FLAGSHIP, "--formt", "md"}, "unknown option '%-%-formt' for 'run' %(did you mean '%-%-format'%?%)"},
        {{"run", FLAGSHIP, "--format", "xml"}, "option %-%-format: 'xml' is not one of text, md, json, html"},
        {{"run", FLAGSHIP, "--runs", "1.5"}, "option %-%-runs: '1.5' is not a whole number >= 1"},
        {{"run", FLAGSHIP, "--runs", "0"}, "not a whole number >= 1"},
        {{"run", FLAGSHIP, "--seed", "-3"}, "option %-%-seed: '%-3' is not a whole number >= 0"},
        {{"run", FLAGSHIP, "--date", "2024-02-30"}, "option %-%-date: bad date '2024%-02%-30'"},
        {{"run", FLAGSHIP, "--out"}, "option '%-%-out' needs a value"},
        {{"check"}, "check needs at least one scenario file"},
        {{"check", "--quiet=yes", FLAGSHIP}, "option %-%-quiet takes no value"},
        {{"convert", FLAGSHIP}, "convert needs an input and an output file"},
        {{"convert", FLAGSHIP, "-"}, "needs %-%-to ent or %-%-to json"},
        {{"convert", FLAGSHIP, "out.txt"}, "cannot tell the output format of 'out.txt'"},
        {{"help", "nope"}, "no help for 'nope'"},
      }
      for _, c in ipairs(cases) do
        local code, out, err = run(c[1])
        assert.are.equal(2, code)
        assert.are.equal("", out)
        assert.matches(c[2], err)
      end
    end)
  end)

  describe("run", function()
    it("prints the summary and comparison of the flagship scenario, as the Lua version gives them", function()
      local code, out, err = run {"run", FLAGSHIP}
      assert.are.equal(0, code)
      assert.are.equal("", err)
      local lw = assert(entente.load "russia_dprk_2024")
      assert.truthy(out:find(lw:summary {date = "2024-12-05"}, 1, true))
      assert.truthy(out:find(lw:compare("2024-06-18", "2024-12-05"), 1, true))
      assert.matches("== What changed between 2024%-06%-18 and 2024%-12%-05", out)
    end)

    it("runs the reports of the installed modules or names those missing", function()
      local _, out = run {"run", FLAGSHIP}
      if entente.World.signed then assert.matches("== Structural balance as of 2024%-12%-05\nsigned graph", out)
      else assert.matches("not available: the balance module", out) end
      if entente.World.entrapment then
        -- the exact cascade: CHN defends the DPRK with probability 0.75 through the 1961 treaty
        -- and 0.775 in all (examples/entrapment.lua, docs/entrapment.md)
        assert.matches("== Entrapment: ROK attacks PRK", out)
        assert.matches("CHN +77.5%%", out)
      else
        assert.matches("not available: the entrapment module", out)
      end
    end)

    it("evaluates the declared options, or names the options engine as missing", function()
      local _, out = run {"run", FLAGSHIP, "--runs", "300"}
      if type(entente.scenario) == "function" then
        assert.matches("== Options of CHN\nOptions of CHN as of 2024%-12%-05", out)
        assert.matches("300 draws, seed 2024", out)
        for _, name in ipairs {"status quo", "align", "distance", "court", "hedge"} do
          assert.matches("\n  " .. name .. " ", out)
        end
        assert.matches("response: US secondary sanctions: strength of CHN%-RUS military_aid rises", out)
      else
        assert.matches("not available: the options engine", out)
      end
    end)

    it("takes the as-of date from --date", function()
      local code, out = run {"run", FLAGSHIP, "--date", "2024-06-18"}
      assert.are.equal(0, code)
      assert.matches("== Summary as of 2024%-06%-18", out)
      -- before the treaty entered into force only China is bound to defend the DPRK
      assert.truthy(out:find("CHN -> PRK", 1, true))
      assert.falsy(out:find("RUS -> PRK  defence", 1, true))
    end)

    it("writes Markdown with --format md", function()
      local code, out = run {"run", FLAGSHIP, "--format", "md"}
      assert.are.equal(0, code)
      assert.matches("^# Russia%-DPRK pact and China's dilemma %(2024%)\n", out)
      assert.matches("\n| PRK | North Korea %(DPRK%) | nuclear%-armed, closed autocracy, Northeast Asia, sanctioned |\n", out)
      assert.matches("\n| CHN %-> PRK | defence | Treaty of Friendship, Co%-operation and Mutual Assistance", out)
    end)

    it("writes JSON with --format json that decodes to the same facts", function()
      local code, out = run {"run", FLAGSHIP, "--format", "json"}
      assert.are.equal(0, code)
      local doc = assert(json.decode(out, "run.json"))
      assert.are.equal("2024-12-05", doc.scenario.date)
      local by = {}
      for _, r in ipairs(doc.reports) do by[r.id] = by[r.id] or r end
      assert.are.equal(10, #by.summary.data.actors)
      assert.are.equal(8, #by.summary.data.obligations)
      local started = by.compare.data.started
      assert.are.equal(3, #started)
      assert.are.same({"RUS", "PRK", "defence", "2024-12-04"}, {started[1].a, started[1].b, started[1].kind, started[1].since})
    end)

    it("writes one self-contained HTML page with --format html", function()
      local path = tmpname(".html")
      local code, out = run {"run", FLAGSHIP, "--format", "html", "--out", path}
      assert.are.equal(0, code)
      assert.are.equal("", out)
      local page = readfile(path)
      os.remove(path)
      assert.matches("^<!DOCTYPE html>", page)
      assert.matches("<svg", page)                    -- the map, inline
      assert.matches("Russia%-DPRK pact and China", page)
      assert.is_nil(page:match("<script"))            -- nothing runs
      assert.is_nil(page:match("src=\"http"))         -- nothing is fetched
    end)

    it("writes the report to --out, atomically, and nothing to stdout", function()
      local path = tmpname(".txt")
      local code, out = run {"run", FLAGSHIP, "--out", path}
      assert.are.equal(0, code)
      assert.are.equal("", out)
      assert.matches("^Russia%-DPRK pact", readfile(path))
      os.remove(path)
      local code2, _, err = run {"run", FLAGSHIP, "--out", "/nonexistent-dir/x.txt"}
      assert.are.equal(1, code2)
      assert.matches("cannot write /nonexistent%-dir/x.txt", err)
    end)

    it("exits 1 with every error on stderr for a bad scenario, printing no report", function()
      local path = tmpname(".ent")
      writefile(path, BAD)
      local code, out, err = run {"run", path}
      os.remove(path)
      assert.are.equal(1, code)
      assert.are.equal("", out)
      assert.matches(":2:8: unknown actor 'PKR'", err)
      assert.matches(":3:6: syntax error: expected a string, found the end of the line", err)
      local code2, _, err2 = run {"run", "/nonexistent.ent"}
      assert.are.equal(1, code2)
      assert.matches("^/nonexistent.ent: No such file", err2)
    end)

    it("shows a progress bar on a terminal only", function()
      local _, _, err = run({"run", FLAGSHIP}, true)
      assert.matches("\r%[#*%-*%] %d+/%d+ summary", err)
      assert.matches("\r +\r$", err)     -- and clears it at the end
      local _, _, err2 = run({"run", FLAGSHIP}, false)
      assert.are.equal("", err2)
      local _, _, err3 = run({"run", FLAGSHIP, "--progress", "never"}, true)
      assert.are.equal("", err3)
      local _, _, err4 = run({"run", FLAGSHIP, "--progress", "always"}, false)
      assert.matches("%[#*%-*%]", err4)
    end)
  end)

  describe("check", function()
    it("says ok for a valid file and exits 0", function()
      local code, out, err = run {"check", FLAGSHIP}
      assert.are.equal(0, code)
      assert.are.equal(FLAGSHIP .. ": ok (10 actors, 29 relations, 50 events, 4 options)\n", out)
      assert.are.equal("", err)
      local code2, out2 = run {"check", "-q", FLAGSHIP}
      assert.are.equal(0, code2)
      assert.are.equal("", out2)
    end)

    it("checks every file and exits 1 if one is bad", function()
      local path = tmpname(".ent")
      writefile(path, BAD)
      local code, out, err = run {"check", path, FLAGSHIP}
      os.remove(path)
      assert.are.equal(1, code)
      assert.matches(FLAGSHIP .. ": ok", out, 1, true)
      assert.matches("unknown actor 'PKR'", err)
    end)
  end)

  describe("convert", function()
    it("converts .ent to JSON and back to the same world", function()
      local j, e = tmpname(".json"), tmpname(".ent")
      assert.are.equal(0, (run {"convert", FLAGSHIP, j}))
      assert.are.equal(0, (run {"convert", j, e}))
      local w0 = assert(ent.read(FLAGSHIP))
      local w1 = assert(ent.decode_json(readfile(j), j))
      local w2, spec2 = assert(ent.read(e))
      assert.is_nil(ent.diff(w0, w1))
      assert.is_nil(ent.diff(w0, w2))
      assert.are.same({{"2024-06-18", "2024-12-05"}}, spec2.compare)
      os.remove(j)
      os.remove(e)
    end)

    it("writes to stdout with --to", function()
      local code, out = run {"convert", FLAGSHIP, "-", "--to", "json"}
      assert.are.equal(0, code)
      assert.are.equal("entente-scenario 1", json.decode(out).format)
      local code2, out2 = run {"convert", FLAGSHIP, "-", "--to=ent"}
      assert.are.equal(0, code2)
      assert.is_nil(ent.diff(assert(ent.read(FLAGSHIP)), assert(ent.parse(out2, "stdout.ent"))))
    end)

    it("exits 1 for an invalid input", function()
      local j = tmpname(".json")
      writefile(j, '{"actors": [{"code": 5}]}')
      local code, _, err = run {"convert", j, "-", "--to", "ent"}
      os.remove(j)
      assert.are.equal(1, code)
      assert.matches("%$.actors%[1%].code: expected an actor code, found 5", err)
    end)
  end)

  describe("bin/entente", function()
    local lua = jit and "luajit" or ({["Lua 5.1"] = "lua5.1", ["Lua 5.3"] = "lua5.3", ["Lua 5.4"] = "lua5.4"})[_VERSION]
    local function exit_code(cmd)
      local a, b, c = os.execute(cmd)
      if type(a) == "number" then return a >= 256 and math.floor(a / 256) or a end
      if b == "exit" then return c end
      return a and 0 or c
    end
    local function sh(args)
      local out, err = os.tmpname(), os.tmpname()
      local code = exit_code(lua .. " bin/entente " .. args .. " >" .. out .. " 2>" .. err)
      local o, e = readfile(out), readfile(err)
      os.remove(out)
      os.remove(err)
      return code, o, e
    end

    it("exits 0, 1 and 2 as documented, with reports on stdout and errors on stderr", function()
      local code, out, err = sh("check " .. FLAGSHIP)
      assert.are.same({0, ""}, {code, err})
      assert.matches(": ok", out)
      local path = tmpname(".ent")
      writefile(path, BAD)
      code, out, err = sh("run " .. path)
      os.remove(path)
      assert.are.same({1, ""}, {code, out})
      assert.matches("unknown actor 'PKR'", err)
      code, out, err = sh("frobnicate")
      assert.are.same({2, ""}, {code, out})
      assert.matches("unknown command 'frobnicate'", err)
    end)

    it("shows no progress bar when its output is piped", function()
      local code, _, err = sh("run " .. FLAGSHIP)
      assert.are.same({0, ""}, {code, err})
    end)
  end)
end)
