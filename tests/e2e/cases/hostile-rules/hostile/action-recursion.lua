-- Recursion without end in an action.
local function f(n) return f(n + 1) + 1 end
rule "action-recursion" { when = { listener {} }, action = function() f(1) end }
