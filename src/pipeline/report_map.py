"""The report's map of the places mentioned: countries shaded by mentions, cities as points, offline.

plotly.js draws its geo subplots on a world topojson that it fetches from `topojsonURL` (by default
its CDN) unless `window.PlotlyGeoAssets.topojson` already holds it. The report must not touch the
network, so `geo_assets_script()` puts a topojson there, built from the country shapes that the
`countryinfo` package ships (Natural Earth, low resolution), with ISO alpha-3 ids as plotly's
`locationmode="ISO-3"` expects. The page then needs nothing from outside.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import duckdb
import plotly.graph_objects as go

# The name plotly.js looks the world topojson up by: `<scope>_<resolution>m`.
TOPOJSON_NAME = "world_110m"
MAP_CITIES = 150  # the most mentioned cities drawn as points

COUNTRY_MENTIONS_SQL = """
select country_code, any_value(country) as country, sum(mentions) as mentions, count(distinct entity_id) as places
from places
where country_code is not null
group by country_code
"""
CITY_MENTIONS_SQL = """
select entity_id, any_value(place) as place, any_value(country) as country, any_value(region) as region,
    any_value(latitude) as latitude, any_value(longitude) as longitude, sum(mentions) as mentions
from places
where place_kind = 'city' and latitude is not null
group by entity_id
order by mentions desc, place
limit ?
"""


def _round(coords: Any) -> Any:
    """Coordinates to 0.01 degree (about 1 km): the shapes are coarse anyway, and the page stays small."""
    if isinstance(coords, (int, float)):
        return round(float(coords), 2)
    return [_round(c) for c in coords]


@lru_cache(maxsize=1)
def world_topojson() -> dict[str, Any]:
    """A topojson of the world's countries (one arc per ring, absolute coordinates: no transform)."""
    from countryinfo import CountryInfo

    arcs: list[Any] = []
    geometries: list[dict[str, Any]] = []

    def ring_arcs(polygon: Sequence[Any]) -> list[list[int]]:
        out = []
        for ring in polygon:
            arcs.append(_round(ring))
            out.append([len(arcs) - 1])
        return out

    for info in CountryInfo.all().values():
        iso3 = (info.get("ISO") or {}).get("alpha3")
        for feature in (info.get("geoJSON") or {}).get("features", []):
            geom = feature.get("geometry") or {}
            if not iso3 or geom.get("type") not in ("Polygon", "MultiPolygon"):
                continue
            polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
            geometries.append(
                {
                    "type": "MultiPolygon",
                    "id": str(iso3),
                    "properties": {"name": str(info.get("name", ""))},
                    "arcs": [ring_arcs(p) for p in polygons],
                }
            )
    countries = {"type": "GeometryCollection", "geometries": geometries}
    empty = {"type": "GeometryCollection", "geometries": []}
    return {
        "type": "Topology",
        "arcs": arcs,
        # plotly reads each base layer it draws by name; only land and countries are drawn
        "objects": {
            "countries": countries,
            "land": countries,
            **{name: empty for name in ("coastlines", "ocean", "lakes", "rivers", "subunits")},
        },
    }


def geo_assets_script() -> str:
    """JavaScript that hands plotly.js the world topojson, so that it never fetches one."""
    data = json.dumps(world_topojson(), separators=(",", ":"))
    return (
        "window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};"
        f"window.PlotlyGeoAssets.topojson[{json.dumps(TOPOJSON_NAME)}] = {data};"
    )


@lru_cache(maxsize=1)
def _alpha3() -> dict[str, str]:
    import pycountry

    return {c.alpha_2: c.alpha_3 for c in pycountry.countries}


def map_figure(con: duckdb.DuckDBPyConnection, label: Any, *, cities: int = MAP_CITIES) -> go.Figure | None:
    """Countries shaded by the mentions of their places (the country, its regions and cities), and the
    most mentioned cities as points sized by mentions; None when no place is resolved. `label` escapes
    text for plotly (the report's `_label`)."""
    countries = [r for r in _rows(con, COUNTRY_MENTIONS_SQL) if r["country_code"] in _alpha3()]
    points = _rows(con, CITY_MENTIONS_SQL, [cities])
    if not countries and not points:
        return None
    fig = go.Figure()
    if countries:
        fig.add_trace(
            go.Choropleth(
                locations=[_alpha3()[r["country_code"]] for r in countries],
                locationmode="ISO-3",
                z=[float(r["mentions"]) for r in countries],
                text=[label(r["country"]) for r in countries],
                customdata=[[int(r["places"])] for r in countries],
                hovertemplate="%{text}<br>%{z:,} mentions of %{customdata[0]} places<extra></extra>",
                colorscale="Blues",
                marker_line_color="#ffffff",
                marker_line_width=0.5,
                colorbar={"title": {"text": "mentions"}, "thickness": 12},
                name="countries",
            )
        )
    if points:
        peak = max(float(r["mentions"]) for r in points)
        fig.add_trace(
            go.Scattergeo(
                lat=[float(r["latitude"]) for r in points],
                lon=[float(r["longitude"]) for r in points],
                text=[label(", ".join(str(x) for x in (r["place"], r["region"], r["country"]) if x)) for r in points],
                customdata=[float(r["mentions"]) for r in points],
                hovertemplate="%{text}<br>%{customdata:,} mentions<extra></extra>",
                marker={
                    "size": [4 + 20 * (float(r["mentions"]) / peak) ** 0.5 for r in points],
                    "color": "#f58518",
                    "opacity": 0.8,
                    "line": {"width": 0.5, "color": "#ffffff"},
                },
                name="cities",
            )
        )
    fig.update_geos(
        scope="world",
        resolution=110,
        projection_type="natural earth",
        lonaxis_range=[-180, 180],
        lataxis_range=[-58, 85],  # the whole world but Antarctica, whatever places are drawn
        showland=True,
        landcolor="#f2f2f2",
        showcountries=True,
        countrycolor="#d0d0d0",
        showcoastlines=False,
        showocean=False,
        showlakes=False,
        showrivers=False,
        showsubunits=False,
        showframe=False,
    )
    fig.update_layout(
        title={"text": "Places mentioned", "x": 0, "xanchor": "left"},
        height=520,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        showlegend=False,
        paper_bgcolor="#ffffff",
    )
    return fig


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description or []]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
