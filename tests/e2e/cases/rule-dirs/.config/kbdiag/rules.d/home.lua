-- $HOME/.config/kbdiag/rules.d: used when XDG_CONFIG_HOME is not set.
rule "home-rule" {
  title = "A rule from ~/.config", severity = "info",
  when = { listener { port = 143 } },
  diagnose = "the home directory's rule",
}
