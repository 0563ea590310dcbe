-- Places mentioned per ISO week (weeks start on Monday): every GPE, LOC and FAC entity with the place
-- the gazetteer resolved it to (country, region, coordinates; NULL where unresolved) and how many
-- mentions and articles named it that week. `country` is the name of the place's country as an
-- entity of the warehouse, else its ISO code.
with mentions as (
    select * from stg_entity_mentions
),

articles as (
    select * from stg_articles
),

places as (
    select * from stg_entities
    where entity_type in ('GPE', 'LOC', 'FAC')
),

countries as (
    select distinct on (country_code) country_code, canonical_name as country
    from stg_entities
    where place_kind = 'country'
    order by country_code, entity_id
),

weekly as (
    select
        mentions.entity_id,
        cast(date_trunc('week', articles.article_date) as date) as week_start,
        count(*) as mentions,
        count(distinct mentions.article_id) as articles
    from mentions
    inner join articles on articles.article_id = mentions.article_id
    group by all
),

final as (
    select
        places.entity_id,
        places.canonical_name as place,
        places.entity_type,
        places.place_kind,
        places.country_code,
        coalesce(countries.country, places.country_code) as country,
        places.admin1 as region,
        places.latitude,
        places.longitude,
        places.geonames_id,
        places.geo_confidence,
        weekly.week_start,
        weekly.mentions,
        weekly.articles
    from weekly
    inner join places on places.entity_id = weekly.entity_id
    left join countries on countries.country_code = places.country_code
)

select * from final
