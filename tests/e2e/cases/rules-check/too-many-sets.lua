-- Two patterns of 140 one_of sets each: more than a rule has room for.
-- Once dropped without a word; now an error at the rule.
local sets = {}
for i = 1, 140 do sets[i] = one_of { "a" .. i, "b" } end
rule "too-many-sets" { title = "t", severity = "info",
  when = { process { name = sets }, process { name = sets } },
  diagnose = "x" }
