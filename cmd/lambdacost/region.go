package main

import (
	"context"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/config"
)

// defaultRegion is the region used when nothing names one.
const defaultRegion = "us-east-1"

// resolveRegion resolves the region the way the AWS SDK and CLI do, so that
// every command (prices as well as API calls) uses the same one: --region
// (or LAMBDACOST_REGION), AWS_REGION, AWS_DEFAULT_REGION, the `region` of
// the profile (AWS_PROFILE, else "default") in the shared config file
// (AWS_CONFIG_FILE, else ~/.aws/config) or credentials file, else
// us-east-1. It returns the region and where it came from.
func resolveRegion(flag string, getenv func(string) string) (region, source string) {
	if flag != "" {
		return flag, "--region"
	}
	for _, k := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if v := getenv(k); v != "" {
			return v, k
		}
	}
	profile := getenv("AWS_PROFILE")
	if profile == "" {
		profile = "default"
	}
	home := getenv("HOME")
	cfgFile, credFile := getenv("AWS_CONFIG_FILE"), getenv("AWS_SHARED_CREDENTIALS_FILE")
	if cfgFile == "" && home != "" {
		cfgFile = filepath.Join(home, ".aws", "config")
	}
	if credFile == "" && home != "" {
		credFile = filepath.Join(home, ".aws", "credentials")
	}
	if cfgFile != "" || credFile != "" {
		sc, err := config.LoadSharedConfigProfile(context.Background(), profile, func(o *config.LoadSharedConfigOptions) {
			o.ConfigFiles = nonEmpty(cfgFile)
			o.CredentialsFiles = nonEmpty(credFile)
		})
		if err == nil && sc.Region != "" {
			return sc.Region, "profile " + profile + " (" + cfgFile + ")"
		}
	}
	return defaultRegion, "default"
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}
