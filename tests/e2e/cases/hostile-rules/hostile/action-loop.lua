-- An endless loop in an action.
rule "action-loop" { when = { listener {} },
  action = function() while true do end end }
