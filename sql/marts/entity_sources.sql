-- Which sources (the web domain of the article's URL, else its source path or URL) name each
-- entity, in how many articles, and when.
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
        coalesce(articles.source_domain, articles.source) as source,
        articles.source_type,
        count(distinct mentions.article_id) as article_count,
        count(*) as mention_count,
        min(articles.article_date) as first_seen_on,
        max(articles.article_date) as last_seen_on
    from mentions
    inner join articles on articles.article_id = mentions.article_id
    inner join entities on entities.entity_id = mentions.entity_id
    group by all
)

select * from final
