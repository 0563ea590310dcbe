with source as (
    select * from main.entity_mentions
),

renamed as (
    select
        mention_id,
        article_id,
        entity_id,
        text as mention_text,
        upper(trim(entity_type)) as entity_type,
        sentence_index,
        start_char,
        end_char,
        cast(tone as double) as tone
    from source
)

select * from renamed
