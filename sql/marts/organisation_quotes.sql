-- One row per quote attributed to an organisation: spoken by someone affiliated with it
-- (`via` = 'affiliation') or by the organisation itself, e.g. "the ministry said" (`via` = 'speaker').
with quotes as (
    select * from stg_quotes
),

articles as (
    select * from stg_articles
),

entities as (
    select * from stg_entities
),

attributed as (
    select
        quotes.speaker_org_entity_id as organisation_entity_id,
        'affiliation' as via,
        quotes.*
    from quotes
    where quotes.speaker_org_entity_id is not null

    union all

    select
        quotes.speaker_entity_id as organisation_entity_id,
        'speaker' as via,
        quotes.*
    from quotes
    inner join entities on entities.entity_id = quotes.speaker_entity_id
    where entities.entity_type = 'ORG'
        and quotes.speaker_org_entity_id is distinct from quotes.speaker_entity_id
),

final as (
    select
        attributed.organisation_entity_id,
        organisation.canonical_name as organisation,
        attributed.via,
        attributed.quote_id,
        attributed.article_id,
        articles.title as article_title,
        articles.url as article_url,
        articles.article_date,
        articles.date_source,
        attributed.speaker_entity_id,
        coalesce(speaker.canonical_name, attributed.speaker_name, attributed.speaker_text) as speaker,
        attributed.speaker_title,
        attributed.quote_type,
        attributed.cue,
        attributed.quote_text,
        attributed.confidence
    from attributed
    inner join articles on articles.article_id = attributed.article_id
    left join entities as organisation on organisation.entity_id = attributed.organisation_entity_id
    left join entities as speaker on speaker.entity_id = attributed.speaker_entity_id
)

select * from final
