-- Which sources name each entity, in how many articles, and when. A source is the web domain
-- of the article's URL (or of the URL it came from), else the file path it was read from.
-- An article carried by several sources counts once for each of them.
with mentions as (
    select * from stg_entity_mentions
),

articles as (
    select * from stg_articles
),

entities as (
    select * from stg_entities
),

article_sources as (
    select
        article_sources.article_id,
        coalesce(articles.source_domain, article_sources.source_domain, article_sources.source) as source,
        article_sources.source_type
    from stg_article_sources as article_sources
    inner join articles on articles.article_id = article_sources.article_id

    union

    select
        article_id,
        coalesce(source_domain, source) as source,
        source_type
    from articles
),

final as (
    select
        mentions.entity_id,
        entities.canonical_name,
        entities.entity_type,
        article_sources.source,
        article_sources.source_type,
        count(distinct mentions.article_id) as article_count,
        count(*) as mention_count,
        min(articles.article_date) as first_seen_on,
        max(articles.article_date) as last_seen_on
    from mentions
    inner join articles on articles.article_id = mentions.article_id
    inner join article_sources on article_sources.article_id = mentions.article_id
    inner join entities on entities.entity_id = mentions.entity_id
    group by all
)

select * from final
