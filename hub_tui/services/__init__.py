"""Everything hub-tui can do, as functions of a `Ctx`. No front-end code lives here."""
