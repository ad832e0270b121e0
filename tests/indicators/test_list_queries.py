"""The city-wide indicators cost the statements of one ward's (no query per unit)."""


def test_all_126_units_cost_what_one_does(client, count_statements):
    """Each indicator is measured for every unit at once, whatever the number of units."""
    client.get("/api/v1/kpi?ward=00070")
    one, one_sent = count_statements(lambda: client.get("/api/v1/kpi?ward=00070"))
    every, every_sent = count_statements(lambda: client.get("/api/v1/kpi"))
    assert len(one.get_json()["items"]) == 1 and len(every.get_json()["items"]) == 126
    # The one-ward read first finds the ward by its key: one statement more than the city's.
    assert len(every_sent) == len(one_sent) - 1, "\n".join(every_sent)
