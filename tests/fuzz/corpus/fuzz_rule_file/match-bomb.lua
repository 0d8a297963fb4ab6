-- Catastrophic backtracking in a `match` test, which the network runs
-- itself: 2^26 tries on a name of 26 a's and a b (snapshot.json), the last matching.
local bomb = ("a?"):rep(26) .. ("a"):rep(26) .. "b"
rule "match-bomb" { title = "t", severity = "error",
  when = { process { name = match(bomb) } }, diagnose = "never" }
