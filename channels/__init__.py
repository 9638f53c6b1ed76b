"""Markets, money, exchange rates, pricing and country rules. Pure: no Flask, no database."""
