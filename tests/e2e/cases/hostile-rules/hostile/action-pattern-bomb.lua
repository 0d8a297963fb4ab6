-- Catastrophic backtracking in an action.
rule "action-pattern-bomb" { when = { process { name = "?n" } },
  action = function(m) local s = string.rep(m.n, 1000) return s:match("(.-)(.-)(.-)(.-)#") end }
