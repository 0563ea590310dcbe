-- Articles per theme and ISO week (weeks start on Monday): how many carry the theme, their share of
-- the week's articles, the mean theme score, the mean article tone of those articles, the previous
-- week's count and the theme's rank in the week. Undated articles count in the week they were
-- ingested (`undated_articles`).
with themes as (
    select * from stg_article_themes
),

articles as (
    select * from stg_articles
),

week_totals as (
    select cast(date_trunc('week', article_date) as date) as week_start, count(*) as week_articles
    from articles
    group by all
),

weekly as (
    select
        themes.theme,
        cast(date_trunc('week', articles.article_date) as date) as week_start,
        count(*) as articles,
        count(*) filter (where articles.date_source = 'ingested') as undated_articles,
        avg(themes.score) as mean_score,
        max(themes.score) as max_score,
        avg(articles.tone) as mean_tone
    from themes
    inner join articles on articles.article_id = themes.article_id
    group by all
),

final as (
    select
        weekly.theme,
        weekly.week_start,
        weekly.articles,
        weekly.undated_articles,
        weekly.articles / week_totals.week_articles as share_of_week,
        weekly.mean_score,
        weekly.max_score,
        weekly.mean_tone,
        coalesce(previous.articles, 0) as articles_prev_week,
        weekly.articles - coalesce(previous.articles, 0) as articles_change,
        rank() over (partition by weekly.week_start order by weekly.articles desc, weekly.mean_score desc)
            as rank_in_week
    from weekly
    inner join week_totals on week_totals.week_start = weekly.week_start
    left join weekly as previous
        on previous.theme = weekly.theme
        and previous.week_start = weekly.week_start - interval 7 day
)

select * from final
