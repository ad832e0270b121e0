"""Where a report may be: inside Hà Nội's territory, as a bounding box.

Hà Nội spans about 20°34′–21°23′ N and 105°17′–106°02′ E; the box below holds the whole
city with a few hundred metres to spare and refuses the rest of the country (and the
swapped-coordinates mistake: 105, 21 is in the sea off Somalia). A box is deliberately simple:
a point in a neighbouring province near the border passes, which a ward's staff see and
refer. Positions are stored rounded to 4 decimal places (about 11 m): enough to find a
pothole, not enough to pin a reporter's doorway.
"""

LAT_MIN, LAT_MAX = 20.53, 21.40
LONG_MIN, LONG_MAX = 105.28, 106.03
STORED_DECIMALS = 4


def in_hanoi(lat: float, long: float) -> bool:
    """Tell whether a position lies in Hà Nội's bounding box."""
    return LAT_MIN <= lat <= LAT_MAX and LONG_MIN <= long <= LONG_MAX


def coarsen(value: float) -> float:
    """Round a coordinate to what is stored (about 11 m)."""
    return round(value, STORED_DECIMALS)
