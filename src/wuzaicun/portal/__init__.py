"""The portal: the home page (工作台) that brings the apps' headline figures together."""
