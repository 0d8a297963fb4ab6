-- Giving strings a metatable of its own.
setmetatable("", { __index = { upper = function() return "pwned" end } })
