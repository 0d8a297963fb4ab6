-- An empty string repeated 2^50 times: Lua loops that often, copying nothing.
local s = string.rep("", 1 << 50) .. string.rep("", 1 << 50, "")
assert(s == "")
error("rep-empty finished")
