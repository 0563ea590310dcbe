-- One row per article and theme of the taxonomy (src/pipeline/nlp/themes.toml or NEWS_THEMES_FILE).
-- `score` (0..1) is how central the theme is; `matched_terms` the distinct terms, most frequent first.
with source as (
    select * from main.article_themes
),

renamed as (
    select
        article_id,
        lower(trim(theme)) as theme,
        cast(score as double) as score,
        nullif(trim(matched_terms), '') as matched_terms,
        len(string_split(matched_terms, ', ')) as matched_term_count
    from source
)

select * from renamed
