-- A lone surname linked to the warehouse's person with that surname. A one-word PERSON entity exists only
-- where an article never gave the full name (within an article, `Blair` joins `Tony Blair`); across the
-- warehouse it is read as the full-named person whose surname it is when that person dominates:
-- `confidence` is their share of the mentions of every full-named person with that surname, and `linked`
-- is true when it is at least 0.8 and they have at least 3 mentions. One row per lone surname that has
-- a namesake; `namesakes` counts the candidates, `runner_up` names the next one.
with entities as (
    select * from stg_entities
),

mentions as (
    select * from stg_entity_mentions
),

lone as (
    select entity_id, canonical_name as surname
    from entities
    where entity_type = 'PERSON' and canonical_name not like '% %'
),

lone_counts as (
    select entity_id, count(*) as mentions, count(distinct article_id) as articles
    from mentions
    where entity_id in (select entity_id from lone)
    group by entity_id
),

full_named as (
    select
        entities.entity_id,
        entities.canonical_name,
        lower(regexp_extract(entities.canonical_name, '(\S+)$', 1)) as surname_key,
        count(*) as mentions
    from entities
    inner join mentions on mentions.entity_id = entities.entity_id
    where entities.entity_type = 'PERSON' and entities.canonical_name like '% %'
    group by all
),

ranked as (
    select
        *,
        mentions / sum(mentions) over (partition by surname_key) as share,
        count(*) over (partition by surname_key) as namesakes,
        row_number() over (partition by surname_key order by mentions desc, entity_id) as candidate_rank,
        lead(canonical_name) over (partition by surname_key order by mentions desc, entity_id) as runner_up
    from full_named
),

final as (
    select
        lone.entity_id as surname_entity_id,
        lone.surname,
        lone_counts.mentions as surname_mentions,
        lone_counts.articles as surname_articles,
        ranked.entity_id as person_entity_id,
        ranked.canonical_name as person,
        ranked.mentions as person_mentions,
        round(ranked.share, 3) as confidence,
        ranked.namesakes,
        ranked.runner_up,
        ranked.share >= 0.8 and ranked.mentions >= 3 as linked
    from lone
    inner join lone_counts on lone_counts.entity_id = lone.entity_id
    inner join ranked on ranked.surname_key = lower(lone.surname) and ranked.candidate_rank = 1
)

select * from final
