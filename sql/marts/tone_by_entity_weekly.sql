-- The tone of the text around each entity, per ISO week (weeks start on Monday). A mention's tone is
-- the tone of its sentence (-1..1, VADER); `mean_tone` averages the week's mentions that have one,
-- `positive_share` / `negative_share` are the shares of those at >= 0.05 / <= -0.05. Undated
-- articles count in the week they were ingested (`undated_mentions`).
with mentions as (
    select * from stg_entity_mentions
),

articles as (
    select * from stg_articles
),

entities as (
    select * from stg_entities
),

weekly as (
    select
        mentions.entity_id,
        entities.canonical_name,
        entities.entity_type,
        cast(date_trunc('week', articles.article_date) as date) as week_start,
        count(*) as mentions,
        count(mentions.tone) as toned_mentions,
        count(distinct mentions.article_id) as articles,
        count(*) filter (where articles.date_source = 'ingested') as undated_mentions,
        avg(mentions.tone) as mean_tone,
        count(*) filter (where mentions.tone >= 0.05) / nullif(count(mentions.tone), 0) as positive_share,
        count(*) filter (where mentions.tone <= -0.05) / nullif(count(mentions.tone), 0) as negative_share
    from mentions
    inner join articles on articles.article_id = mentions.article_id
    inner join entities on entities.entity_id = mentions.entity_id
    group by all
),

final as (
    select
        weekly.*,
        previous.mean_tone as mean_tone_prev_week,
        weekly.mean_tone - previous.mean_tone as tone_change
    from weekly
    left join weekly as previous
        on previous.entity_id = weekly.entity_id
        and previous.week_start = weekly.week_start - interval 7 day
)

select * from final
