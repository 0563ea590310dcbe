-- Mentions per entity and ISO week (weeks start on Monday), with the previous week's count,
-- the entity's share of all mentions that week and its rank. Undated articles count in the
-- week they were ingested; `undated_mentions` says how many of the week's mentions that is.
with daily as (
    select * from entity_mentions_daily
),

weekly as (
    select
        entity_id,
        canonical_name,
        entity_type,
        cast(date_trunc('week', day) as date) as week_start,
        sum(mentions) as mentions,
        sum(mentions) filter (where date_source = 'ingested') as undated_mentions
    from daily
    group by all
),

article_counts as (
    select
        mentions.entity_id,
        cast(date_trunc('week', articles.article_date) as date) as week_start,
        count(distinct mentions.article_id) as articles
    from stg_entity_mentions as mentions
    inner join stg_articles as articles on articles.article_id = mentions.article_id
    group by all
),

final as (
    select
        weekly.entity_id,
        weekly.canonical_name,
        weekly.entity_type,
        weekly.week_start,
        weekly.mentions,
        article_counts.articles,
        coalesce(weekly.undated_mentions, 0) as undated_mentions,
        coalesce(previous.mentions, 0) as mentions_prev_week,
        weekly.mentions - coalesce(previous.mentions, 0) as mentions_change,
        weekly.mentions / sum(weekly.mentions) over (partition by weekly.week_start) as share_of_week,
        rank() over (partition by weekly.week_start order by weekly.mentions desc) as rank_in_week
    from weekly
    inner join article_counts
        on article_counts.entity_id = weekly.entity_id
        and article_counts.week_start = weekly.week_start
    left join weekly as previous
        on previous.entity_id = weekly.entity_id
        and previous.week_start = weekly.week_start - interval 7 day
)

select * from final
