-- Writing to _G: a file may replace its own library tables (its _G is its own
-- environment), but cannot add globals, and the other files never see either.
_G.string = { upper = function() return "pwned" end }
_G.pwned = true
