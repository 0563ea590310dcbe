-- Mentions per entity and day. An undated article counts on the day it was ingested,
-- with date_source = 'ingested', so it is never dropped and never mistaken for a dated one.
with mentions as (
    select * from stg_entity_mentions
),

articles as (
    select * from stg_articles
),

entities as (
    select * from stg_entities
),

final as (
    select
        mentions.entity_id,
        entities.canonical_name,
        entities.entity_type,
        articles.article_date as day,
        articles.date_source,
        count(*) as mentions,
        count(distinct mentions.article_id) as articles
    from mentions
    inner join articles on articles.article_id = mentions.article_id
    inner join entities on entities.entity_id = mentions.entity_id
    group by all
)

select * from final
