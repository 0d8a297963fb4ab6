-- A string of a terabyte.
local s = string.rep("x", 1 << 40)
