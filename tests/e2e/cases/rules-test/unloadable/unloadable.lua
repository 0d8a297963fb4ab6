-- A rule file with a syntax error: its case names the rule, which never loads.
rule "held" { when = { listener { port = 110 } }, diagnose = "held" =  }
