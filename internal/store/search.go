package store

import (
	"context"
	"fmt"
	"strings"
)

// Page sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// sortOrders maps Query.Sort to ORDER BY clauses; each ends with a unique key (the model's
// name, or for recency the audit's id) so pages are stable.
var sortOrders = map[string]string{
	"":       `m.org, m.name`,
	"name":   `m.org, m.name`,
	"tier":   `a.tier_rank DESC, a.osai_score DESC, m.org, m.name`,
	"osai":   `a.osai_score DESC, m.org, m.name`,
	"recent": `a.created_at DESC, a.id DESC`, // read from an index, newest first, without a sort
}

// where builds the WHERE clause of a query and its arguments.
func (q Query) where() (string, []any, error) {
	conds := []string{"a.is_latest = 1"}
	var args []any
	if q.Text != "" {
		// As a list of model ids, so that counting needs no join of every audit to its model.
		conds = append(conds, `a.model_id IN (SELECT mm.id FROM models mm WHERE LOWER(mm.org || '/' || mm.name) LIKE ?)`)
		args = append(args, "%"+strings.ToLower(q.Text)+"%")
	}
	if q.Tier != "" {
		conds = append(conds, `a.tier = ?`)
		args = append(args, q.Tier)
	}
	if q.MinTier != "" {
		rank, ok := TierRank[q.MinTier]
		if !ok {
			return "", nil, fmt.Errorf("%w: unknown tier %q", ErrBadQuery, q.MinTier)
		}
		conds = append(conds, `a.tier_rank >= ?`)
		args = append(args, rank)
	}
	if q.Library != "" {
		conds = append(conds, `a.library = ?`)
		args = append(args, q.Library)
	}
	for _, t := range []struct{ kind, v string }{{"license", q.License}, {"finding", q.Finding}, {"restriction", q.Restriction}, {"family", q.Family}, {"task", q.Task}} {
		if kind, v := t.kind, t.v; v != "" {
			// IN reads the (kind, value) index once, where EXISTS would probe every row.
			conds = append(conds, `a.id IN (SELECT t.audit_id FROM audit_terms t WHERE t.kind = ? AND t.value = ?)`)
			args = append(args, kind, v)
		}
	}
	return strings.Join(conds, " AND "), args, nil
}

// Search implements Store.
func (s *sqlStore) Search(ctx context.Context, q Query) (*Page, error) {
	order, ok := sortOrders[q.Sort]
	if !ok {
		return nil, fmt.Errorf("store: %w: unknown sort %q (name, tier, osai or recent)", ErrBadQuery, q.Sort)
	}
	where, args, err := q.where()
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	from := ` FROM audits a JOIN models m ON a.id = m.latest_audit WHERE ` + where
	count := `SELECT COUNT(*) FROM audits a WHERE ` + where // the conditions read no model column
	page := &Page{Audits: []Audit{}}
	if err := s.db.QueryRowContext(ctx, s.d.rebind(count), args...).Scan(&page.Total); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT `+auditColumns+from+` ORDER BY `+order+` LIMIT ? OFFSET ?`), append(args, limit, max(q.Offset, 0))...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanAudit(rows, false)
		if err != nil {
			return nil, err
		}
		page.Audits = append(page.Audits, *a)
	}
	return page, rows.Err()
}
