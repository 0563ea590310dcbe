-- Pairs of entities named in the same article, each unordered pair once
-- (entity_a_id < entity_b_id), with how many articles and sentences they share.
-- Article pairs and sentence pairs are counted separately: one self-join over
-- (article, entity) rows, one over (article, sentence, entity) rows, no count(distinct).
with article_entities as (
    select distinct article_id, entity_id from stg_entity_mentions
),

sentence_entities as (
    select distinct article_id, sentence_index, entity_id from stg_entity_mentions
),

articles as (
    select * from stg_articles
),

entities as (
    select * from stg_entities
),

article_pairs as (
    select
        a.entity_id as entity_a_id,
        b.entity_id as entity_b_id,
        count(*) as article_count,
        min(articles.article_date) as first_seen_on,
        max(articles.article_date) as last_seen_on
    from article_entities as a
    inner join article_entities as b
        on b.article_id = a.article_id
        and a.entity_id < b.entity_id
    inner join articles on articles.article_id = a.article_id
    group by a.entity_id, b.entity_id
),

sentence_pairs as (
    select
        a.entity_id as entity_a_id,
        b.entity_id as entity_b_id,
        count(*) as sentence_count
    from sentence_entities as a
    inner join sentence_entities as b
        on b.article_id = a.article_id
        and b.sentence_index = a.sentence_index
        and a.entity_id < b.entity_id
    group by a.entity_id, b.entity_id
),

final as (
    select
        article_pairs.entity_a_id,
        entity_a.canonical_name as entity_a,
        entity_a.entity_type as entity_a_type,
        article_pairs.entity_b_id,
        entity_b.canonical_name as entity_b,
        entity_b.entity_type as entity_b_type,
        article_pairs.article_count,
        coalesce(sentence_pairs.sentence_count, 0) as sentence_count,
        article_pairs.first_seen_on,
        article_pairs.last_seen_on
    from article_pairs
    left join sentence_pairs
        on sentence_pairs.entity_a_id = article_pairs.entity_a_id
        and sentence_pairs.entity_b_id = article_pairs.entity_b_id
    inner join entities as entity_a on entity_a.entity_id = article_pairs.entity_a_id
    inner join entities as entity_b on entity_b.entity_id = article_pairs.entity_b_id
)

select * from final
