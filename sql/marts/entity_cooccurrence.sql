-- Pairs of entities named in the same article, each unordered pair once
-- (entity_a_id < entity_b_id), with how many articles and sentences they share.
with mentions as (
    select distinct article_id, entity_id, sentence_index from stg_entity_mentions
),

articles as (
    select * from stg_articles
),

entities as (
    select * from stg_entities
),

pairs as (
    select
        a.entity_id as entity_a_id,
        b.entity_id as entity_b_id,
        a.article_id,
        a.sentence_index = b.sentence_index as same_sentence,
        a.sentence_index
    from mentions as a
    inner join mentions as b
        on b.article_id = a.article_id
        and a.entity_id < b.entity_id
),

summarised as (
    select
        pairs.entity_a_id,
        pairs.entity_b_id,
        count(distinct pairs.article_id) as article_count,
        count(distinct (pairs.article_id, pairs.sentence_index)) filter (where pairs.same_sentence)
            as sentence_count,
        min(articles.article_date) as first_seen_on,
        max(articles.article_date) as last_seen_on
    from pairs
    inner join articles on articles.article_id = pairs.article_id
    group by pairs.entity_a_id, pairs.entity_b_id
),

final as (
    select
        summarised.entity_a_id,
        entity_a.canonical_name as entity_a,
        entity_a.entity_type as entity_a_type,
        summarised.entity_b_id,
        entity_b.canonical_name as entity_b,
        entity_b.entity_type as entity_b_type,
        summarised.article_count,
        summarised.sentence_count,
        summarised.first_seen_on,
        summarised.last_seen_on
    from summarised
    inner join entities as entity_a on entity_a.entity_id = summarised.entity_a_id
    inner join entities as entity_b on entity_b.entity_id = summarised.entity_b_id
)

select * from final
