-- Memory growing without end while the file loads (concatenation is one
-- instruction however long its result, so only the memory cap stops this).
local t, s = {}, string.rep("x", 1 << 21)
while true do t[#t + 1] = s .. #t end
