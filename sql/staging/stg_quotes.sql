with source as (
    select * from main.quotes
),

renamed as (
    select
        quote_id,
        article_id,
        lower(trim(quote_type)) as quote_type,
        quote_text,
        nullif(lower(trim(cue)), '') as cue,
        nullif(trim(speaker_text), '') as speaker_text,
        speaker_entity_id,
        nullif(trim(speaker_name), '') as speaker_name,
        nullif(trim(speaker_title), '') as speaker_title,
        speaker_org_entity_id,
        sentence_index,
        start_char,
        end_char,
        cast(confidence as double) as confidence,
        nullif(trim(confidence_reason), '') as confidence_reason,
        cast(tone as double) as tone
    from source
),

-- One key per speaker, shared by every speaker mart: the resolved entity when there is one, else the
-- canonical name, else the words as written within one article (an unresolved "he" never merges).
keyed as (
    select
        *,
        coalesce(
            'entity:' || speaker_entity_id,
            'name:' || lower(speaker_name),
            'text:' || article_id || ':' || lower(speaker_text),
            'unknown:' || article_id
        ) as speaker_key
    from renamed
)

select * from keyed
