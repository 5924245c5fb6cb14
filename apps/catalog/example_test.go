package catalog_test

import (
	"fmt"

	"github.com/edgesim/edgesim/apps/catalog"
	"github.com/edgesim/edgesim/scenario"
	"github.com/edgesim/edgesim/sockshop"
)

// The catalogue's applications, and one of them in the reference run: SockShop as a spec
// gives the hand-written SockShop's numbers.
func Example() {
	fmt.Println(catalog.Names())
	a, err := catalog.App("sock_shop")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range scenario.Variants {
		res, err := scenario.Run(sockshop.DefaultConfig(v).Config, a)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %d workflows, %d failed, %d messages, mean %.3f ms\n", v, res.Workflows, res.Failed, res.Messages, res.Latency.Mean)
	}
	// Output:
	// [anomaly_detection crud_api deathstarbench_hotel_reservation deathstarbench_social_network hotel_reservation keyword_spotting media_service social_network sock_shop thumbnailer uqsim_fanout video_analytics_serving]
	// mpi: 54 workflows, 11 failed, 699 messages, mean 680.110 ms
	// rest: 63 workflows, 11 failed, 807 messages, mean 597.448 ms
}
