-- Comparing two long strings is one instruction; a loop of them is slow.
local a, b = string.rep("x", 1 << 20), string.rep("x", 1 << 20)
for i = 1, 1e9 do local same = a == b end
