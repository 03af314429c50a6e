-- Packaging and layout rules that are easy to break without noticing.
local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local function lines_of(cmd)
  local p = assert(io.popen(cmd))
  local out = {}
  for l in p:lines() do out[#out + 1] = l end
  p:close()
  return out
end

describe("packaging", function()
  it("the rockspec lists every C source and Lua module (make rockspec)", function()
    local lua = arg and arg[-1] or "lua"
    local p = assert(io.popen("lua5.4 tools/gen_rockspec.lua 2>/dev/null || " .. lua .. " tools/gen_rockspec.lua"))
    local fresh = p:read("*a")
    p:close()
    assert.equal(fresh, read("rockspec/entente-scm-1.rockspec"))
  end)

  it("keeps Lua out of the C core: only the lentente*.c binding files include Lua headers", function()
    for _, f in ipairs(lines_of("ls csrc/*.c csrc/*.h")) do
      local binding = f:match("csrc/lentente[^/]*%.[ch]$")
      local src = read(f)
      local includes_lua = src:match('#include%s*[<"]lua%.h[>"]') or src:match('#include%s*[<"]lauxlib%.h[>"]')
        or src:match('#include%s*"lentente%.h"')
      if not binding then assert.is_nil(includes_lua, f .. " includes a Lua header") end
    end
  end)

  it("the README's example script runs", function()
    local src = read("README.md"):match("```lua\n(.-)\n```")
    assert.truthy(src)
    local out = {}
    local env = setmetatable({print = function(...)
      local t = {}
      for i = 1, select("#", ...) do t[i] = tostring((select(i, ...))) end
      out[#out + 1] = table.concat(t, "\t")
    end}, {__index = _G})
    local chunk
    if setfenv then
      chunk = assert(loadstring(src, "=README"))
      setfenv(chunk, env)
    else
      chunk = assert(load(src, "=README", "t", env))
    end
    local ok, err = pcall(chunk)
    assert.is_true(ok, tostring(err))
    assert.matches("RUS %-%- PRK: defence", table.concat(out, "\n"))
  end)
end)
