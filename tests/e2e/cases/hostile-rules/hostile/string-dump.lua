-- Turning a function into bytecode.
local b = string.dump(function() end)
