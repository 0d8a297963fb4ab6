-- Memory growing without end in an action.
rule "action-memory" { when = { listener {} },
  action = function() local t, s = {}, string.rep("y", 1 << 21) while true do t[#t + 1] = s .. #t end end }
