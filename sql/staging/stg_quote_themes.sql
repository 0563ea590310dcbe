-- One row per quote and theme whose terms match inside the quote (src/pipeline/nlp/themes.py): what a
-- speaker talks about. `score` (0..1) is the density of the theme's terms in the quote.
with source as (
    select * from main.quote_themes
),

renamed as (
    select
        quote_id,
        article_id,
        lower(trim(theme)) as theme,
        cast(score as double) as score,
        nullif(trim(matched_terms), '') as matched_terms
    from source
)

select * from renamed
