-- One row per organisation (an ORG entity, or any entity quoted as a speaker's affiliation):
-- how often it is named, quoted and measured, and when it was first and last seen.
with entities as (
    select * from stg_entities
),

articles as (
    select * from stg_articles
),

organisations as (
    select entity_id, canonical_name from entities where entity_type = 'ORG'
    union
    select entities.entity_id, entities.canonical_name
    from entities
    inner join stg_quotes as quotes on quotes.speaker_org_entity_id = entities.entity_id
),

mentions as (
    select
        mentions.entity_id,
        count(*) as mention_count,
        count(distinct mentions.article_id) as article_count,
        min(articles.article_date) as first_seen_on,
        max(articles.article_date) as last_seen_on
    from stg_entity_mentions as mentions
    inner join articles on articles.article_id = mentions.article_id
    group by mentions.entity_id
),

quotes as (
    select
        organisation_entity_id as entity_id,
        count(distinct quote_id) as quote_count,
        count(distinct quote_id) filter (where via = 'speaker') as quotes_as_speaker,
        count(distinct quote_id) filter (where via = 'affiliation') as quotes_by_affiliates,
        count(distinct speaker) filter (where via = 'affiliation') as affiliated_speakers,
        max(article_date) as last_quoted_on
    from organisation_quotes
    group by organisation_entity_id
),

figures as (
    select
        subject_entity_id as entity_id,
        count(*) as figure_count,
        count(*) filter (where not is_restatement) as distinct_figure_count,
        max(article_date) as last_figure_on
    from metric_facts
    where subject_entity_id is not null
    group by subject_entity_id
),

final as (
    select
        organisations.entity_id as organisation_entity_id,
        organisations.canonical_name as organisation,
        coalesce(mentions.mention_count, 0) as mention_count,
        coalesce(mentions.article_count, 0) as article_count,
        coalesce(quotes.quote_count, 0) as quote_count,
        coalesce(quotes.quotes_as_speaker, 0) as quotes_as_speaker,
        coalesce(quotes.quotes_by_affiliates, 0) as quotes_by_affiliates,
        coalesce(quotes.affiliated_speakers, 0) as affiliated_speakers,
        coalesce(figures.figure_count, 0) as figure_count,
        coalesce(figures.distinct_figure_count, 0) as distinct_figure_count,
        mentions.first_seen_on,
        greatest(mentions.last_seen_on, quotes.last_quoted_on, figures.last_figure_on) as last_seen_on
    from organisations
    left join mentions on mentions.entity_id = organisations.entity_id
    left join quotes on quotes.entity_id = organisations.entity_id
    left join figures on figures.entity_id = organisations.entity_id
)

select * from final
