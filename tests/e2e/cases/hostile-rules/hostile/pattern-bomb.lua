-- Catastrophic backtracking: Lua's own matcher would run for hours.
local s = string.rep("a", 5000)
local i = s:find(".-.-.-.-.-b")
