-- A finalizer runs when Lua collects garbage or closes, when no budget is armed.
setmetatable({}, { __gc = function() while true do end end })
