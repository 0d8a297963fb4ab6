-- Large strings made again and again in an action: cheap in instructions, not in time.
rule "rep-loop" { when = { listener {} },
  action = function() for i = 1, 1e9 do local s = string.rep("z", 10000000) end end }
