package machine_test

import (
	"testing"
	"time"

	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/ginclerk/ginclerk/internal/machine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVerifyKinds(t *testing.T) {
	t.Parallel()
	exp := t0.Add(time.Hour)
	tests := []struct {
		name     string
		machine  bool // configure the machine secret key
		register func(*ginclerktest.Server) string
		want     machine.Credential
	}{
		{
			name: "api key of a user",
			register: func(s *ginclerktest.Server) string {
				return s.AddAPIKey(ginclerktest.MachineCredential{ID: "ak_id_1", Name: "ci", Subject: "user_1",
					Scopes: []string{"read:foo", "write:bar"}, Claims: map[string]any{"tier": "gold"}, ExpiresAt: exp})
			},
			want: machine.Credential{Kind: machine.APIKey, ID: "ak_id_1", Subject: "user_1", Name: "ci",
				Scopes: []string{"read:foo", "write:bar"}, Claims: `{"tier":"gold"}`, Expiration: exp},
		},
		{
			name: "api key of an organization, never expiring, no claims",
			register: func(s *ginclerktest.Server) string {
				return s.AddAPIKey(ginclerktest.MachineCredential{ID: "ak_id_2", Subject: "org_1"})
			},
			want: machine.Credential{Kind: machine.APIKey, ID: "ak_id_2", Subject: "org_1"},
		},
		{
			name: "m2m token with the instance secret key",
			register: func(s *ginclerktest.Server) string {
				return s.AddM2MToken(ginclerktest.MachineCredential{ID: "mt_id_1", Scopes: []string{"mch_2"},
					Claims: map[string]any{"foo": "bar"}})
			},
			want: machine.Credential{Kind: machine.M2MToken, ID: "mt_id_1", Subject: ginclerktest.DefaultMachineID,
				Scopes: []string{"mch_2"}, Claims: `{"foo":"bar"}`},
		},
		{
			name:    "m2m token with the machine secret key",
			machine: true,
			register: func(s *ginclerktest.Server) string {
				return s.AddM2MToken(ginclerktest.MachineCredential{ID: "mt_id_2"})
			},
			want: machine.Credential{Kind: machine.M2MToken, ID: "mt_id_2", Subject: ginclerktest.DefaultMachineID},
		},
		{
			name: "oauth token",
			register: func(s *ginclerktest.Server) string {
				return s.AddOAuthToken(ginclerktest.MachineCredential{ID: "oat_id_1", Scopes: []string{"email"},
					Audience: []string{"https://api.example.com"}, ExpiresAt: exp})
			},
			want: machine.Credential{Kind: machine.OAuthToken, ID: "oat_id_1", Subject: ginclerktest.DefaultUserID,
				Scopes: []string{"email"}, ClientID: ginclerktest.DefaultClientID,
				Audience: []string{"https://api.example.com"}, Expiration: exp},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, func(cfg *machine.Config, srv *ginclerktest.Server) {
				if tc.machine {
					// Only the machine secret may authenticate M2M calls then.
					cfg.SecretKey, cfg.MachineSecretKey = "sk_test_wrong", srv.MachineSecretKey
				}
			})
			token := tc.register(f.srv)
			got, err := f.verify(t, token)
			require.NoError(t, err)
			want := tc.want
			assert.Equal(t, want.Kind, got.Kind)
			assert.Equal(t, want.ID, got.ID)
			assert.Equal(t, want.Subject, got.Subject)
			assert.Equal(t, want.Name, got.Name)
			assert.Equal(t, want.Scopes, got.Scopes)
			if want.Claims == "" {
				assert.Empty(t, got.Claims)
			} else {
				assert.JSONEq(t, want.Claims, got.Claims)
			}
			assert.Equal(t, want.ClientID, got.ClientID)
			assert.Equal(t, want.Audience, got.Audience)
			assert.True(t, want.Expiration.Equal(got.Expiration), "expiration %v, want %v", got.Expiration, want.Expiration)
		})
	}
}
