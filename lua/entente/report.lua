-- entente.report: readable text summaries of a world.
local util = require "entente.util"

return function(entente, World)
  local report = {}

  -- Left-aligned columns; rows are lists of strings.
  function report.table(header, rows)
    local widths = {}
    for i, h in ipairs(header) do widths[i] = #h end
    for _, row in ipairs(rows) do
      for i, cell in ipairs(row) do
        if #tostring(cell) > (widths[i] or 0) then widths[i] = #tostring(cell) end
      end
    end
    local out = {}
    local function line(cells)
      local parts = {}
      for i, c in ipairs(cells) do
        parts[i] = i == #cells and tostring(c) or string.format("%-" .. widths[i] .. "s", tostring(c))
      end
      out[#out + 1] = "  " .. table.concat(parts, "  ")
    end
    line(header)
    local rule = {}
    for i, wd in ipairs(widths) do rule[i] = string.rep("-", wd) end
    line(rule)
    for _, row in ipairs(rows) do line(row) end
    return table.concat(out, "\n")
  end

  --- w:summary{date=} -> text: actors, ties by kind, defence obligations.
  function World:summary(opts)
    opts = util.checkopts(opts, {date = true}, "summary", 1)
    local d = opts.date and entente.date(opts.date) or self.date
    local out = {}
    out[#out + 1] = string.format("%s, as of %s", self.title or "world", d)
    out[#out + 1] = ""
    out[#out + 1] = "Actors"
    local rows = {}
    for _, a in ipairs(self:actors()) do
      rows[#rows + 1] = {a.code, a.name, table.concat(a.tags, ", ")}
    end
    out[#out + 1] = report.table({"code", "name", "tags"}, rows)
    out[#out + 1] = ""
    out[#out + 1] = "Ties in force, by kind"
    rows = {}
    for _, a in ipairs(self:actors()) do
      local ties = self:ties(a, {date = d})
      local parts = {}
      for _, kind in ipairs(util.sorted_keys(ties)) do
        parts[#parts + 1] = kind .. ": " .. table.concat(ties[kind], " ")
      end
      if #parts > 0 then rows[#rows + 1] = {a.code, table.concat(parts, "; ")} end
    end
    out[#out + 1] = report.table({"actor", "ties"}, rows)
    out[#out + 1] = ""
    out[#out + 1] = "Defence obligations in force (who must come to whose aid)"
    rows = {}
    for _, o in ipairs(self:obligations {date = d, level = "defence"}) do
      rows[#rows + 1] = {o.from .. " -> " .. o.to, o.kind, o.relation.source}
    end
    out[#out + 1] = #rows > 0 and report.table({"obliged", "kind", "source"}, rows) or "  (none)"
    return table.concat(out, "\n")
  end

  --- w:compare(d1, d2) -> text: relations that started and ended between two dates.
  function World:compare(d1, d2)
    local ch = self:changes(d1, d2)
    local out = {string.format("What changed between %s and %s", entente.date(d1), entente.date(d2))}
    if #ch.started == 0 and #ch.ended == 0 then out[#out + 1] = "  nothing" end
    for _, r in ipairs(ch.started) do out[#out + 1] = "  + " .. tostring(r) end
    for _, r in ipairs(ch.ended) do out[#out + 1] = "  - " .. tostring(r) end
    local evs = self:events {from = d1, to = d2}
    if #evs > 0 then
      out[#out + 1] = ""
      out[#out + 1] = "Events in that period"
      for _, e in ipairs(evs) do out[#out + 1] = "  " .. tostring(e) end
    end
    return table.concat(out, "\n")
  end

  return report
end
