-- Changing what every string can do, for every rule file.
local mt = getmetatable("")
mt.__index = { upper = function() return "pwned" end }
